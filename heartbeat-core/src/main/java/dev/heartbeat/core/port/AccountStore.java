package dev.heartbeat.core.port;

import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The people who may sign in, their password hashes and their API tokens' hashes. Secrets are never
 * stored: only what {@link PasswordHasher} makes of a password, and a SHA-256 of a token's secret.
 */
public interface AccountStore {

    /** An account and its password hash. */
    record StoredAccount(Account account, String passwordHash) {
    }

    /** A token and the SHA-256 of its secret. */
    record StoredToken(ApiToken token, byte[] secretHash) {
    }

    /** Adds an account; {@code false} when the name is taken (nothing changes then). */
    boolean add(Account account, String passwordHash);

    Optional<StoredAccount> find(String username);

    /** Every account, by name. */
    List<Account> list();

    /** Whether any account exists (a dashboard without any has nobody to let in, beyond loopback). */
    boolean hasAccounts();

    /** Replaces the account's role and disabled flag; {@code false} when there is no such account. */
    boolean update(Account account);

    /** {@code false} when there is no such account. */
    boolean setPasswordHash(String username, String passwordHash);

    void addToken(ApiToken token, byte[] secretHash);

    Optional<StoredToken> findToken(String id);

    /** The account's tokens, newest first. */
    List<ApiToken> tokens(String username);

    /** {@code false} when there is no such token or it was revoked already. */
    boolean revokeToken(String id, Instant at);
}
