package dev.heartbeat.core.simulation;

import dev.heartbeat.core.port.ReadingPublisher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a {@link Simulator} into a {@link ReadingPublisher}: live, each reading published when the clock
 * reaches its time (so readings carry real timestamps at the simulated rate, none ahead of the
 * clock, and a tick's staggered readings spread over the interval instead of one burst), or flat out for
 * benchmarks. Publishing failures are counted and the last one kept, never ignored; the driver
 * itself does not stop on them, like a sensor gateway that keeps sending.
 */
public final class SimulationDriver implements Runnable {

    /** How fast to run. */
    public enum Pace {
        /** Publish each reading when the clock reaches its time. */
        LIVE,
        /** Publish ticks back to back, ignoring their times (benchmarks, faster-than-real-time scenarios). */
        FLAT_OUT
    }

    private final Simulator simulator;
    private final ReadingPublisher publisher;
    private final Clock clock;
    private final Pace pace;
    private final long maxReadings;
    private final LongAdder published = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    private volatile boolean running = true;

    /** {@code maxReadings}: stop after publishing this many ({@code Long.MAX_VALUE} for no limit). */
    public SimulationDriver(Simulator simulator, ReadingPublisher publisher, Clock clock, Pace pace, long maxReadings) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pace = Objects.requireNonNull(pace, "pace");
        if (maxReadings < 0) {
            throw new IllegalArgumentException("maxReadings must be >= 0");
        }
        this.maxReadings = maxReadings;
    }

    @Override
    public void run() {
        try {
            while (running && published.sum() < maxReadings) {
                if (pace == Pace.LIVE && !waitUntil(simulator.nextTickAt())) {
                    break;
                }
                List<SimulatedReading> tick = simulator.nextTick();
                for (SimulatedReading reading : tick) {
                    if (published.sum() >= maxReadings || !running) {
                        break;
                    }
                    // a tick's readings are staggered over the interval: live, each goes out at its own time
                    if (pace == Pace.LIVE && reading.reading().recordedAt().isAfter(clock.instant())
                            && !waitUntil(reading.reading().recordedAt())) {
                        break;
                    }
                    publisher.publish(reading.reading()).whenComplete((ok, failure) -> {
                        if (failure == null) {
                            acknowledged.increment();
                        } else {
                            failed.increment();
                            lastFailure.set(failure);
                        }
                    });
                    published.increment();
                }
            }
        } finally {
            publisher.flush();
        }
    }

    private boolean waitUntil(Instant due) {
        while (running) {
            Duration left = Duration.between(clock.instant(), due);
            if (left.isNegative() || left.isZero()) {
                return true;
            }
            try {
                Thread.sleep(Math.min(left.toMillis() + 1, 250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Asks the driver to stop after the reading it is publishing; returns at once. */
    public void stop() {
        running = false;
    }

    /** Readings handed to the publisher. */
    public long published() {
        return published.sum();
    }

    /** Readings the publisher confirmed. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Readings the publisher failed to deliver. */
    public long failed() {
        return failed.sum();
    }

    /** The most recent publishing failure, if any. */
    public Throwable lastFailure() {
        return lastFailure.get();
    }
}
