package dev.heartbeat.core;


import java.time.Duration;
import java.util.Objects;

/** Capped exponential back-off: {@code initial}, twice that, four times, ... never more than {@code max}. */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new InvalidValueException("back-off needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before attempt number {@code failures + 1}, after {@code failures} >= 1 failures. */
    public Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
