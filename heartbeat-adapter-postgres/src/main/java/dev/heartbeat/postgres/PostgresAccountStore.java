package dev.heartbeat.postgres;

import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.port.AccountStore;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The accounts and API tokens in PostgreSQL ({@code accounts}, {@code api_tokens}; schema version 7). */
public final class PostgresAccountStore implements AccountStore {

    private static final String ACCOUNT_COLUMNS = "username, role, disabled, created_at, password_hash";
    private static final String TOKEN_COLUMNS = "id, username, label, created_at, revoked_at, secret_hash";

    private final Jdbi jdbi;

    public PostgresAccountStore(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    @Override
    public boolean add(Account account, String passwordHash) {
        return run("adding an account", () -> jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO accounts (username, role, password_hash, disabled, created_at, updated_at)
                        VALUES (:username, :role, :hash, :disabled, :at, :at) ON CONFLICT (username) DO NOTHING""")
                .bind("username", account.username())
                .bind("role", account.role().id())
                .bind("hash", passwordHash)
                .bind("disabled", account.disabled())
                .bind("at", account.createdAt())
                .execute() == 1));
    }

    @Override
    public Optional<StoredAccount> find(String username) {
        return run("reading an account", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE username = :username")
                .bind("username", username)
                .map((rs, ctx) -> new StoredAccount(account(rs), rs.getString("password_hash")))
                .findOne()));
    }

    @Override
    public List<Account> list() {
        return run("listing accounts", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + ACCOUNT_COLUMNS + " FROM accounts ORDER BY username")
                .map((rs, ctx) -> account(rs))
                .list()));
    }

    @Override
    public boolean hasAccounts() {
        return run("counting accounts", () -> jdbi.withHandle(handle -> handle.createQuery(
                "SELECT EXISTS (SELECT 1 FROM accounts)").mapTo(Boolean.class).one()));
    }

    @Override
    public boolean update(Account account) {
        return run("changing an account", () -> jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE accounts SET role = :role, disabled = :disabled, updated_at = now()
                        WHERE username = :username""")
                .bind("username", account.username())
                .bind("role", account.role().id())
                .bind("disabled", account.disabled())
                .execute() == 1));
    }

    @Override
    public boolean setPasswordHash(String username, String passwordHash) {
        return run("changing a password", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE accounts SET password_hash = :hash, updated_at = now() WHERE username = :username")
                .bind("username", username)
                .bind("hash", passwordHash)
                .execute() == 1));
    }

    @Override
    public void addToken(ApiToken token, byte[] secretHash) {
        run("adding a token", () -> jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO api_tokens (id, username, label, secret_hash, created_at, revoked_at)
                        VALUES (:id, :username, :label, :hash, :created, :revoked)""")
                .bind("id", token.id())
                .bind("username", token.username())
                .bind("label", token.label())
                .bind("hash", secretHash)
                .bind("created", token.createdAt())
                .bind("revoked", token.revokedAt().map(java.sql.Timestamp::from).orElse(null))
                .execute()));
    }

    @Override
    public Optional<StoredToken> findToken(String id) {
        return run("reading a token", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new StoredToken(token(rs), rs.getBytes("secret_hash")))
                .findOne()));
    }

    @Override
    public List<ApiToken> tokens(String username) {
        return run("listing tokens", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE username = :username ORDER BY created_at DESC, id")
                .bind("username", username)
                .map((rs, ctx) -> token(rs))
                .list()));
    }

    @Override
    public boolean revokeToken(String id, Instant at) {
        return run("revoking a token", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id)
                .bind("at", at)
                .execute() == 1));
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString("username"), Role.parse(rs.getString("role")), rs.getBoolean("disabled"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiToken(rs.getString("id"), rs.getString("username"), rs.getString("label"),
                rs.getTimestamp("created_at").toInstant(), Optional.ofNullable(revoked).map(Timestamp::toInstant));
    }

    private static <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }
}
