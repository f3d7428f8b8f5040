package dev.heartbeat.core.access;

import java.util.Objects;

/**
 * Who a request acts as: a signed-in person or one of their API tokens (the account's name and role),
 * or, on a dashboard with no accounts that only loopback reaches, {@link #LOCAL}.
 *
 * @param name the account's user name, or {@code local}
 * @param role what it may do
 * @param via  how it proved itself: {@code session}, {@code token}, or {@code loopback}
 */
public record Identity(String name, Role role, String via) {

    /** Whoever reaches a dashboard that has no accounts and listens on loopback only. */
    public static final Identity LOCAL = new Identity("local", Role.RESPONDER, "loopback");

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(via, "via");
    }

    public boolean may(Role needed) {
        return role.includes(needed);
    }
}
