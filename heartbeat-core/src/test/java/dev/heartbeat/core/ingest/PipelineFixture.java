package dev.heartbeat.core.ingest;

import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.memory.InMemoryReadingStore;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;
import dev.heartbeat.core.validation.ValidationPolicy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/** An in-memory pipeline (bus, store, validator) with what was published, for the pipeline's tests. */
final class PipelineFixture {

    static final Instant START = Instant.parse("2026-11-29T08:00:00Z");

    final Clock clock = Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    final InMemoryBus bus = new InMemoryBus("heartbeat-data", 3);
    final InMemoryReadingStore store = new InMemoryReadingStore(clock);
    final Ingest ingest = new Ingest(ingestValidator(), store, clock);
    final Set<Reading> distinctPublished = new LinkedHashSet<>();
    long published;
    long duplicatesPublished;
    long poisonPublished;

    /** Publishes {@code count} simulated readings; every {@code duplicateEvery}-th is sent twice, every {@code poisonEvery}-th is followed by a bad message. */
    void publish(long seed, int customers, int count, int duplicateEvery, int poisonEvery) {
        InMemoryReadingPublisher publisher = new InMemoryReadingPublisher(bus);
        Simulator simulator = new Simulator(SimulationSettings.of(customers, START), new SplittableRandom(seed));
        List<Reading> readings = new ArrayList<>();
        while (readings.size() < count) {
            for (SimulatedReading r : simulator.nextTick()) {
                if (readings.size() < count) {
                    readings.add(r.reading());
                }
            }
        }
        for (int i = 0; i < readings.size(); i++) {
            Reading reading = readings.get(i);
            publisher.publish(reading);
            published++;
            distinctPublished.add(reading);
            if (duplicateEvery > 0 && i % duplicateEvery == duplicateEvery - 1) {
                publisher.publish(reading);
                published++;
                duplicatesPublished++;
            }
            if (poisonEvery > 0 && i % poisonEvery == poisonEvery - 1) {
                bus.append(reading.customerId().value(), new Undecodable(RejectReason.MALFORMED_JSON, "unexpected end"),
                        "{\"customer_id\":".getBytes(StandardCharsets.UTF_8));
                published++;
                poisonPublished++;
            }
        }
    }

    ReadingValidator ingestValidator() {
        return new ReadingValidator(ValidationPolicy.defaults(), clock);
    }

    InMemoryReadingSource source(int maxBatch) {
        return new InMemoryReadingSource(bus, maxBatch);
    }

    IngestLoop loop(InMemoryReadingSource source, IngestObserver observer) {
        return loop(source, observer, Runnable::run);
    }

    /** A loop writing its batches on {@code writer} while it polls the next one. */
    IngestLoop loop(InMemoryReadingSource source, IngestObserver observer, Executor writer) {
        return new IngestLoop(source, ingest, observer, new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)),
                Duration.ofMillis(1), writer);
    }
}
