package dev.heartbeat.core.memory;

import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;
import dev.heartbeat.core.port.AccountStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The accounts and tokens in memory: for the in-memory demo, tests and embedders. */
public final class InMemoryAccountStore implements AccountStore {

    private final Map<String, StoredAccount> accounts = new ConcurrentSkipListMap<>();
    private final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();

    @Override
    public boolean add(Account account, String passwordHash) {
        return accounts.putIfAbsent(account.username(), new StoredAccount(account, passwordHash)) == null;
    }

    @Override
    public Optional<StoredAccount> find(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    @Override
    public List<Account> list() {
        return accounts.values().stream().map(StoredAccount::account).toList();
    }

    @Override
    public boolean hasAccounts() {
        return !accounts.isEmpty();
    }

    @Override
    public boolean update(Account account) {
        return accounts.computeIfPresent(account.username(), (name, old) -> new StoredAccount(account, old.passwordHash())) != null;
    }

    @Override
    public boolean setPasswordHash(String username, String passwordHash) {
        return accounts.computeIfPresent(username, (name, old) -> new StoredAccount(old.account(), passwordHash)) != null;
    }

    @Override
    public void addToken(ApiToken token, byte[] secretHash) {
        tokens.put(token.id(), new StoredToken(token, secretHash.clone()));
    }

    @Override
    public Optional<StoredToken> findToken(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public List<ApiToken> tokens(String username) {
        return tokens.values().stream().map(StoredToken::token).filter(t -> t.username().equals(username))
                .sorted(Comparator.comparing(ApiToken::createdAt).reversed()).toList();
    }

    @Override
    public boolean revokeToken(String id, Instant at) {
        boolean[] revoked = {false};
        tokens.computeIfPresent(id, (key, old) -> {
            if (old.token().isRevoked()) {
                return old;
            }
            revoked[0] = true;
            ApiToken t = old.token();
            return new StoredToken(new ApiToken(t.id(), t.username(), t.label(), t.createdAt(), Optional.of(at)), old.secretHash());
        });
        return revoked[0];
    }
}
