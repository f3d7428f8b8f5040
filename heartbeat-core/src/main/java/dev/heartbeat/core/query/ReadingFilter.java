package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Which readings a feed shows: of one customer or all, in some levels, inside a time range. */
public record ReadingFilter(Optional<CustomerId> customer, Set<AnomalyLevel> levels, TimeRange range) {

    public ReadingFilter {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(range, "range");
        levels = levels == null || levels.isEmpty() ? Set.copyOf(EnumSet.allOf(AnomalyLevel.class)) : Set.copyOf(levels);
    }

    /** The critical readings (the original {@code critical_anomalies} view) in {@code range}. */
    public static ReadingFilter critical(TimeRange range) {
        return new ReadingFilter(Optional.empty(), EnumSet.of(AnomalyLevel.CRITICAL_LOW, AnomalyLevel.CRITICAL_HIGH), range);
    }

    /** Every reading outside the normal band in {@code range}. */
    public static ReadingFilter nonNormal(TimeRange range) {
        return new ReadingFilter(Optional.empty(), EnumSet.complementOf(EnumSet.of(AnomalyLevel.NORMAL)), range);
    }

    public boolean matches(Reading reading) {
        return range.contains(reading.recordedAt()) && levels.contains(reading.level())
                && customer.map(reading.customerId()::equals).orElse(true);
    }
}
