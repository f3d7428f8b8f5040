package dev.heartbeat.core.authentication;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;
import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.port.AccountStore;
import dev.heartbeat.core.port.AccountStore.StoredAccount;
import dev.heartbeat.core.port.AccountStore.StoredToken;
import dev.heartbeat.core.port.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The people who may use the dashboard: adding and changing accounts, checking a password, issuing,
 * checking and revoking API tokens. Passwords are hashed by the {@link PasswordHasher} (memory-hard);
 * a token is {@code hbt_<id>_<secret>} with 256 random bits of secret, of which only a SHA-256 is kept
 * (a hash that fast is right for a secret that random; a password needs the slow one).
 *
 * <p>Nothing here logs or returns a secret but {@link #issueToken}, which returns the token once.
 */
public final class Accounts {

    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 256;
    public static final int MAX_LABEL_LENGTH = 80;
    private static final String TOKEN_PREFIX = "hbt_";
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();

    /** A token as issued: its stored part, and the text to give the script (shown once). */
    public record IssuedToken(ApiToken token, String text) {
        @Override
        public String toString() {
            return "IssuedToken[" + token + ", text=(hidden)]";
        }
    }

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the name is unknown, so that a miss costs what a wrong password costs. */
    private final String decoyHash;

    public Accounts(AccountStore store, PasswordHasher hasher, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.decoyHash = hasher.hash(randomText(24));
    }

    public boolean hasAccounts() {
        return store.hasAccounts();
    }

    public List<Account> list() {
        return store.list();
    }

    public Optional<Account> find(String username) {
        return store.find(username).map(StoredAccount::account);
    }

    /** Adds a person; refused when the name is taken or the password too weak. */
    public Account add(String username, Role role, CharSequence password) {
        checkPassword(password);
        Account account = new Account(username, role, false, clock.instant());
        if (!store.add(account, hasher.hash(password))) {
            throw new InvalidValueException("there is already an account named " + username);
        }
        return account;
    }

    /** The account behind a name and password, if both are right and the account is enabled. */
    public Optional<Identity> signIn(String username, CharSequence password) {
        Optional<StoredAccount> stored = username == null || password == null ? Optional.empty()
                : store.find(username.strip().toLowerCase(java.util.Locale.ROOT));
        if (stored.isEmpty()) {
            hasher.matches(password == null ? "" : password, decoyHash);
            return Optional.empty();
        }
        if (!hasher.matches(password, stored.get().passwordHash()) || stored.get().account().disabled()) {
            return Optional.empty();
        }
        Account account = stored.get().account();
        return Optional.of(new Identity(account.username(), account.role(), "session"));
    }

    public Account setRole(String username, Role role) {
        Account changed = existing(username).withRole(role);
        store.update(changed);
        return changed;
    }

    public Account setDisabled(String username, boolean disabled) {
        Account changed = existing(username).withDisabled(disabled);
        store.update(changed);
        return changed;
    }

    public void resetPassword(String username, CharSequence password) {
        checkPassword(password);
        existing(username);
        store.setPasswordHash(username, hasher.hash(password));
    }

    /** A new token for the account, returned with its text: the only time the text is known. */
    public IssuedToken issueToken(String username, String label) {
        existing(username);
        String cleanLabel = label == null ? "" : label.strip();
        if (cleanLabel.length() > MAX_LABEL_LENGTH || !cleanLabel.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new InvalidValueException("a token label has at most " + MAX_LABEL_LENGTH + " printable characters");
        }
        String id = java.util.HexFormat.of().formatHex(randomBytes(8)); // no "_": it ends the id in the text
        String secret = randomText(32);
        ApiToken token = new ApiToken(id, username, cleanLabel, clock.instant(), Optional.empty());
        store.addToken(token, sha256(secret));
        return new IssuedToken(token, TOKEN_PREFIX + id + "_" + secret);
    }

    /** The identity a token's text stands for, if it is one of ours, not revoked, and its account enabled. */
    public Optional<Identity> authenticateToken(String text) {
        if (text == null || !text.startsWith(TOKEN_PREFIX) || text.length() > 128) {
            return Optional.empty();
        }
        int split = text.indexOf('_', TOKEN_PREFIX.length());
        if (split < 0) {
            return Optional.empty();
        }
        Optional<StoredToken> stored = store.findToken(text.substring(TOKEN_PREFIX.length(), split));
        if (stored.isEmpty() || stored.get().token().isRevoked()
                || !MessageDigest.isEqual(stored.get().secretHash(), sha256(text.substring(split + 1)))) {
            return Optional.empty();
        }
        return store.find(stored.get().token().username())
                .map(StoredAccount::account)
                .filter(account -> !account.disabled())
                .map(account -> new Identity(account.username(), account.role(), "token"));
    }

    public List<ApiToken> tokens(String username) {
        existing(username);
        return store.tokens(username);
    }

    public boolean revokeToken(String id) {
        return store.revokeToken(id, clock.instant());
    }

    private Account existing(String username) {
        return store.find(Account.checkedUsername(username)).map(StoredAccount::account)
                .orElseThrow(() -> new InvalidValueException("there is no account named " + username));
    }

    static void checkPassword(CharSequence password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw new InvalidValueException("a password has " + MIN_PASSWORD_LENGTH + "-" + MAX_PASSWORD_LENGTH
                    + " characters, got " + (password == null ? 0 : password.length()));
        }
    }

    /** {@code bytes} random bytes as URL-safe Base64 text. */
    public String randomText(int bytes) {
        return TEXT.encodeToString(randomBytes(bytes));
    }

    private byte[] randomBytes(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return raw;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
