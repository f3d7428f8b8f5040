package dev.heartbeat.kafka;

import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Readings from core's simulator, and the validator clock they are all valid against. */
final class SimulatedReadings {

    static final Instant START = Instant.parse("2026-11-29T08:00:00Z");
    /** A consumer clock one day after the simulation's start: every simulated reading is in the window. */
    static final Clock CLOCK = Clock.fixed(START.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    private SimulatedReadings() {
    }

    /** {@code count} readings of {@code customers} customers in tick order (each customer's in time order). */
    static List<Reading> generate(long seed, int customers, int count) {
        Simulator simulator = new Simulator(SimulationSettings.of(customers, START), new SplittableRandom(seed));
        List<Reading> readings = new ArrayList<>(count);
        while (readings.size() < count) {
            for (SimulatedReading r : simulator.nextTick()) {
                if (readings.size() < count) {
                    readings.add(r.reading());
                }
            }
        }
        return readings;
    }

    static ReadingValidator validator() {
        return new ReadingValidator(ValidationPolicy.defaults(), CLOCK);
    }
}
