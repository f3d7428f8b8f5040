package dev.heartbeat.web.bench;

import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.simulation.Simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.time.temporal.ChronoUnit;

/** Core's in-memory database filled with simulated history up to now, as a {@link BenchmarkBackend}. */
public final class InMemoryBackend implements BenchmarkBackend {

    private final SimulatedPipeline pipeline;
    private final String description;

    public InMemoryBackend(int customers, Duration history, Duration interval, long seed) {
        ShiftableClock clock = new ShiftableClock(Clock.systemUTC());
        this.pipeline = new SimulatedPipeline(clock, 3);
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(history);
        Simulator simulator = SimulatedPipeline.simulator(customers, start, interval, 0.5, seed);
        long started = System.nanoTime();
        long readings = pipeline.backfill(simulator, clock.instant(), Math.max(customers, 1000), 40, 25);
        this.description = String.format("in-memory store: %,d readings of %,d customers over %s (filled in %.1f s)",
                readings, customers, history, (System.nanoTime() - started) / 1e9);
    }

    @Override
    public ReadingQueries queries() {
        return pipeline.database.queries();
    }

    @Override
    public Optional<AlertStore> alerts() {
        return Optional.of(pipeline.database.alerts());
    }

    @Override
    public ConsumerLag lag() {
        return pipeline.lag;
    }

    @Override
    public Clock clock() {
        return pipeline.clock;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
