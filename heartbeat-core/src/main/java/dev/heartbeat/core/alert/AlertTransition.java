package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of an alert, the unit that is delivered to alert sinks: it fired, it escalated to a more
 * severe level, or it resolved (stored with the readings that caused it; {@code at} is the time of that
 * reading); or, while it fires and nobody has acknowledged it, it is sent again: {@code UNACKNOWLEDGED}
 * with its {@code escalationLevel} raised, {@code REPEATED} at the same level ({@code at} is then when).
 */
public record AlertTransition(Kind kind, Alert alert, Instant at, int escalationLevel) {

    public enum Kind {
        FIRED,
        ESCALATED,
        RESOLVED,
        /** Not acknowledged within the escalation time: sent again, one escalation level up. */
        UNACKNOWLEDGED,
        /** Still firing and not acknowledged after the repeat interval: sent again. */
        REPEATED;

        /** Whether the readings raise it (stored with their batch), rather than the time that passes. */
        public boolean fromReadings() {
            return this == FIRED || this == ESCALATED || this == RESOLVED;
        }
    }

    public AlertTransition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(at, "at");
        if (escalationLevel < 0) {
            throw new InvalidValueException("an escalation level is >= 0, got " + escalationLevel);
        }
    }

    /** A transition the readings caused, at the escalation level an alert starts with. */
    public AlertTransition(Kind kind, Alert alert, Instant at) {
        this(kind, alert, at, 0);
    }
}
