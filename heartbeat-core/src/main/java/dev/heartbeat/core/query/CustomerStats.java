package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.util.Objects;

/**
 * A customer's readings over a range (the original {@code customer_stats} view, over a window):
 * count, mean, lowest, highest, population standard deviation, critical readings, and the last
 * reading in the range.
 */
public record CustomerStats(CustomerId customer, long count, double avg, int min, int max, double stddev,
                            long criticalCount, Reading last) {

    public CustomerStats {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(last, "last");
    }
}
