package dev.heartbeat.core.simulation;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.CustomerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to simulate: {@code customers} wearers, each sending one reading every {@code interval}
 * starting at {@code start}, with anomaly episodes starting at {@code anomaliesPerCustomerHour} on
 * average. Customer ids are {@code idPrefix} plus a five-digit number ({@code cust-00001}, ...).
 */
public record SimulationSettings(int customers, Duration interval, Instant start, double anomaliesPerCustomerHour,
                                 String idPrefix) {

    public static final int MAX_CUSTOMERS = 1_000_000;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_ANOMALIES_PER_CUSTOMER_HOUR = 0.5;
    public static final String DEFAULT_ID_PREFIX = "cust-";

    public SimulationSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(idPrefix, "idPrefix");
        if (customers < 1 || customers > MAX_CUSTOMERS) {
            throw new InvalidValueException("customers must be 1-" + MAX_CUSTOMERS + ", got " + customers);
        }
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidValueException("interval must be at least 1 ms, got " + interval);
        }
        if (!(anomaliesPerCustomerHour >= 0) || anomaliesPerCustomerHour > 3600) {
            throw new InvalidValueException("anomalies per customer-hour must be 0-3600, got " + anomaliesPerCustomerHour);
        }
        if (!CustomerId.isValid(idPrefix + "00001")) {
            throw new InvalidValueException("id prefix must make valid customer ids, got \"" + idPrefix + '"');
        }
    }

    /** {@code customers} wearers at one reading per second from {@code start}, with default anomalies. */
    public static SimulationSettings of(int customers, Instant start) {
        return new SimulationSettings(customers, DEFAULT_INTERVAL, start, DEFAULT_ANOMALIES_PER_CUSTOMER_HOUR,
                DEFAULT_ID_PREFIX);
    }

    public SimulationSettings withInterval(Duration newInterval) {
        return new SimulationSettings(customers, newInterval, start, anomaliesPerCustomerHour, idPrefix);
    }

    public SimulationSettings withAnomaliesPerCustomerHour(double rate) {
        return new SimulationSettings(customers, interval, start, rate, idPrefix);
    }

    /** The id of customer number {@code index} (0-based). */
    public CustomerId customerId(int index) {
        return new CustomerId(idPrefix + String.format("%05d", index + 1));
    }
}
