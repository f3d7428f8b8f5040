package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.util.Objects;
import java.util.Optional;

/**
 * An alert as the store keeps it: its latest state, once someone took it on the acknowledgement, and its
 * escalation level (how often it was sent again because nobody acknowledged it: the reminders).
 */
public record StoredAlert(Alert alert, Optional<Acknowledgement> acknowledgement, int escalationLevel) {

    public StoredAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(acknowledgement, "acknowledgement");
        if (escalationLevel < 0) {
            throw new InvalidValueException("an escalation level is >= 0, got " + escalationLevel);
        }
    }

    /** An alert nobody was reminded of yet. */
    public StoredAlert(Alert alert, Optional<Acknowledgement> acknowledgement) {
        this(alert, acknowledgement, 0);
    }
}
