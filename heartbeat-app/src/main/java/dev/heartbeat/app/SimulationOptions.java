package dev.heartbeat.app;

import dev.heartbeat.core.simulation.SimulationSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** Turns the command line's simulator options into settings, refusing values that cannot work. */
final class SimulationOptions {

    private SimulationOptions() {
    }

    /** {@code customers} wearers sending {@code rate} readings per second in all (0 = one per customer per second). */
    static SimulationSettings settings(int customers, double rate, Clock clock) {
        if (customers < 1 || customers > SimulationSettings.MAX_CUSTOMERS) {
            throw new ConfigurationException("--customers must be 1-" + SimulationSettings.MAX_CUSTOMERS + ", got " + customers);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ConfigurationException("--rate must be 0 (one reading per customer per second) or a positive number of readings per second, got " + rate);
        }
        Duration interval = rate == 0 ? Duration.ofSeconds(1) : Duration.ofNanos(Math.round(customers * 1e9 / rate));
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new ConfigurationException("--rate " + rate + " is more than 1000 readings per second per customer; add customers");
        }
        return SimulationSettings.of(customers, clock.instant().truncatedTo(ChronoUnit.MILLIS)).withInterval(interval);
    }
}
