package dev.heartbeat.core.access;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who may sign in: a unique user name, a role, and whether the account is disabled (a
 * disabled account can neither sign in nor use its tokens; its history stays).
 */
public record Account(String username, Role role, boolean disabled, Instant createdAt) {

    public static final int MAX_USERNAME_LENGTH = 64;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0," + (MAX_USERNAME_LENGTH - 1) + "}");

    public Account {
        username = checkedUsername(username);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Account withRole(Role newRole) {
        return new Account(username, newRole, disabled, createdAt);
    }

    public Account withDisabled(boolean isDisabled) {
        return new Account(username, role, isDisabled, createdAt);
    }

    /** A user name: 1-64 of lower-case letters, digits and {@code . _ @ -}, starting with a letter or digit. */
    public static String checkedUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidValueException("a user name has 1-" + MAX_USERNAME_LENGTH
                    + " lower-case letters, digits and . _ @ -, starting with a letter or digit");
        }
        return username;
    }
}
