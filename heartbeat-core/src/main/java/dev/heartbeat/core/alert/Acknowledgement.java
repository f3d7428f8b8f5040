package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Objects;

/** Someone has seen an alert and taken it on: who (as they named themselves) and when. */
public record Acknowledgement(String by, Instant at) {

    public static final int MAX_BY_LENGTH = 80;

    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        if (by.isBlank() || by.length() > MAX_BY_LENGTH || by.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("an acknowledgement names who made it: 1-" + MAX_BY_LENGTH
                    + " printable characters");
        }
    }
}
