package dev.heartbeat.core.reading;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One heart-rate reading of one customer: a valid value by construction.
 *
 * <p>{@code recordedAt} is kept to the microsecond (PostgreSQL's {@code timestamptz} precision), so
 * a reading survives a round trip through the store unchanged; the pair (customer, recordedAt) is
 * its natural key.
 */
public record Reading(CustomerId customerId, Instant recordedAt, int heartRate, Activity activity) {

    public static final int MIN_HEART_RATE = 30;
    public static final int MAX_HEART_RATE = 250;

    public Reading {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(activity, "activity");
        if (heartRate < MIN_HEART_RATE || heartRate > MAX_HEART_RATE) {
            throw new InvalidValueException("heart rate " + heartRate + " is outside "
                    + MIN_HEART_RATE + "-" + MAX_HEART_RATE + " bpm");
        }
        recordedAt = recordedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** The clinical band of this reading's heart rate. */
    public AnomalyLevel level() {
        return AnomalyLevel.classify(heartRate);
    }
}
