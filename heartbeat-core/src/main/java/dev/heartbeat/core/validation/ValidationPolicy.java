package dev.heartbeat.core.validation;

import dev.heartbeat.core.InvalidValueException;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a reading's timestamp may stray from the consumer's clock: at most {@code maxFutureSkew}
 * ahead (sensor clocks drift) and at most {@code maxAge} behind (the store's retention window: late
 * data inside it is stored, older data would land in a partition already dropped).
 */
public record ValidationPolicy(Duration maxFutureSkew, Duration maxAge) {

    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

    public ValidationPolicy {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new InvalidValueException("maxFutureSkew must be >= 0 and maxAge > 0, got "
                    + maxFutureSkew + " and " + maxAge);
        }
    }

    public static ValidationPolicy defaults() {
        return new ValidationPolicy(DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_AGE);
    }

    public static ValidationPolicy withMaxAge(Duration maxAge) {
        return new ValidationPolicy(DEFAULT_MAX_FUTURE_SKEW, maxAge);
    }
}
