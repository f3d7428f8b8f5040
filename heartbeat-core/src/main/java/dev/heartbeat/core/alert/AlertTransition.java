package dev.heartbeat.core.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of an alert, the unit that is stored with the readings that caused it and delivered
 * to alert sinks: it fired, it escalated to a more severe level, or it resolved. {@code at} is the
 * time of the reading that caused the change.
 */
public record AlertTransition(Kind kind, Alert alert, Instant at) {

    public enum Kind {
        FIRED,
        ESCALATED,
        RESOLVED
    }

    public AlertTransition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(at, "at");
    }
}
