package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.time.Duration;
import java.util.Objects;

/**
 * When a firing alert that nobody has acknowledged is sent again: every {@code escalateAfter} since it
 * was raised, one escalation level up ({@link AlertTransition.Kind#UNACKNOWLEDGED}); and when
 * {@code repeatEvery} has passed since it was last sent, at its level ({@link AlertTransition.Kind#REPEATED}).
 * Zero turns either off. Acknowledging or resolving the alert ends both.
 */
public record Reminders(Duration escalateAfter, Duration repeatEvery) {

    public static final Reminders DEFAULTS = new Reminders(Duration.ofMinutes(15), Duration.ofHours(1));
    public static final Reminders OFF = new Reminders(Duration.ZERO, Duration.ZERO);

    public Reminders {
        Objects.requireNonNull(escalateAfter, "escalateAfter");
        Objects.requireNonNull(repeatEvery, "repeatEvery");
        if (escalateAfter.isNegative() || repeatEvery.isNegative()) {
            throw new InvalidValueException("reminder intervals are 0 (off) or more");
        }
    }

    public boolean off() {
        return escalateAfter.isZero() && repeatEvery.isZero();
    }
}
