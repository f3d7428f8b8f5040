package dev.heartbeat.core.access;

import dev.heartbeat.core.InvalidValueException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a person may do, each role including the ones before it: a viewer reads; a responder also
 * acts on alerts (acknowledges); an admin also manages people and settings.
 */
public enum Role {
    VIEWER, RESPONDER, ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as written in the API, the database and the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.id().equals(text == null ? null : text.strip().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new InvalidValueException("role must be one of " + Arrays.stream(values()).map(Role::id)
                .collect(Collectors.joining(", ")) + ", got " + text);
    }
}
