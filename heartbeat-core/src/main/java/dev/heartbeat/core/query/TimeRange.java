package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A half-open interval of time, {@code [from, to)}. */
public record TimeRange(Instant from, Instant to) {

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new InvalidValueException("a time range needs from < to, got " + from + " and " + to);
        }
    }

    /** The {@code length} of time up to now, inclusive of now. */
    public static TimeRange last(Duration length, Clock clock) {
        Instant to = clock.instant().plusNanos(1000);
        return new TimeRange(to.minus(length), to);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
