package dev.heartbeat.core.simulation;


import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Generates readings for many customers, one per customer per tick, deterministically for a given
 * random generator (seed) and settings. Time is the simulator's own: tick {@code n} is at
 * {@code start + n * interval}, and customer {@code i} reads {@code i/customers} of an interval
 * after it, so a customer's timestamps strictly increase and customers do not all read at once.
 * Callers pace {@link #nextTick()} against a clock for live use, or call it flat out for a
 * benchmark or a faster-than-real-time scenario.
 *
 * <p>Each customer draws from its own generator split off {@code random} in customer order, so
 * customer {@code i} behaves the same whatever the number of customers.
 */
public final class Simulator {

    private final SimulationSettings settings;
    private final List<SimulatedCustomer> customers;
    private final long intervalNanos;
    private final double intervalSeconds;
    private long tick;

    public Simulator(SimulationSettings settings, RandomGenerator.SplittableGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(random, "random");
        this.intervalNanos = settings.interval().toNanos();
        this.intervalSeconds = intervalNanos / 1e9;
        this.customers = new ArrayList<>(settings.customers());
        for (int i = 0; i < settings.customers(); i++) {
            customers.add(new SimulatedCustomer(settings.customerId(i), i, random.split(),
                    settings.anomaliesPerCustomerHour()));
        }
    }

    /** One reading for every customer, at the next tick's times. */
    public List<SimulatedReading> nextTick() {
        int count = customers.size();
        long tickNanos = tick * intervalNanos;
        List<SimulatedReading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long stagger = intervalNanos * i / count;
            Instant at = settings.start().plusNanos(tickNanos + stagger);
            readings.add(customers.get(i).next(at, intervalSeconds));
        }
        tick++;
        return readings;
    }

    /** The time of the next tick's first reading. */
    public Instant nextTickAt() {
        return settings.start().plusNanos(tick * intervalNanos);
    }

    /** Ticks generated so far. */
    public long ticks() {
        return tick;
    }

    public SimulationSettings settings() {
        return settings;
    }
}
