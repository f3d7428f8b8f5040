package dev.heartbeat.app.options;

import dev.heartbeat.core.simulation.SimulationSettings;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** What the simulator produces: how many customers, how fast, from which seed, for how long. */
public final class SimulatorOptions {

    @Option(names = "--customers", defaultValue = "50",
            description = "Simulated customers (default ${DEFAULT-VALUE}; env HEARTBEAT_CUSTOMERS).")
    int customers;

    @Option(names = "--rate", defaultValue = "0",
            description = "Readings per second over all customers; 0 = one per customer per second (default ${DEFAULT-VALUE}; env HEARTBEAT_RATE).")
    double rate;

    @Option(names = "--seed", defaultValue = "42",
            description = "Simulator seed: the same seed gives the same readings (default ${DEFAULT-VALUE}; env HEARTBEAT_SEED).")
    long seed;

    @Option(names = "--duration", defaultValue = "0s", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s, 5m; 0s = until Ctrl-C or SIGTERM (default ${DEFAULT-VALUE}; env HEARTBEAT_DURATION).")
    Duration duration;

    @Option(names = "--anomalies-per-hour", defaultValue = "0.5",
            description = "Anomaly episodes per customer-hour (default ${DEFAULT-VALUE}; env HEARTBEAT_ANOMALIES_PER_HOUR).")
    double anomaliesPerHour;

    public long seed() {
        return seed;
    }

    public Duration duration() {
        return duration;
    }

    public int customers() {
        return customers;
    }

    /** The simulation, starting now on {@code clock}. */
    public SimulationSettings settings(Clock clock) {
        if (customers < 1 || customers > SimulationSettings.MAX_CUSTOMERS) {
            throw new ConfigurationException("--customers must be 1-" + SimulationSettings.MAX_CUSTOMERS + ", got " + customers);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ConfigurationException("--rate must be 0 (one reading per customer per second) or a positive number of readings per second, got " + rate);
        }
        if (!(anomaliesPerHour >= 0) || anomaliesPerHour > 3600) {
            throw new ConfigurationException("--anomalies-per-hour must be 0-3600, got " + anomaliesPerHour);
        }
        if (duration.isNegative()) {
            throw new ConfigurationException("--duration must be >= 0, got " + duration);
        }
        Duration interval = rate == 0 ? Duration.ofSeconds(1) : Duration.ofNanos(Math.round(customers * 1e9 / rate));
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new ConfigurationException("--rate " + rate + " is more than 1000 readings per second per customer; add --customers");
        }
        return new SimulationSettings(customers, interval, clock.instant().truncatedTo(ChronoUnit.MILLIS), anomaliesPerHour,
                SimulationSettings.DEFAULT_ID_PREFIX);
    }

    /** Readings per second the settings give. */
    public static double ratePerSecond(SimulationSettings settings) {
        return settings.customers() * 1e9 / settings.interval().toNanos();
    }
}
