package dev.heartbeat.core.ingest;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryPipeline;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.memory.StoreFaults;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
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

/**
 * An {@link InMemoryPipeline} with fault switches on its store and a record of what was published,
 * for the pipeline's tests; consumers that die and restart are new sources and loops over the same bus
 * and store.
 */
final class PipelineFixture {

    static final Instant START = Instant.parse("2026-11-29T08:00:00Z");

    final Clock clock = Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    final StoreFaults faults = new StoreFaults();
    final InMemoryPipeline pipeline = InMemoryPipeline.builder(clock)
            .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)))
            .pollTimeout(Duration.ofMillis(1))
            .storeDecorator(faults::store)
            .build();
    final InMemoryBus bus = pipeline.bus();
    final ReadingStore store = pipeline.store();
    final ReadingQueries queries = pipeline.queries();
    final AlertStore alerts = pipeline.alerts();
    final AlertOutbox outbox = pipeline.outbox();
    final Ingest ingest = pipeline.ingest();
    final Set<Reading> distinctPublished = new LinkedHashSet<>();
    long published;
    long duplicatesPublished;
    long poisonPublished;

    /** Publishes {@code count} simulated readings; every {@code duplicateEvery}-th is sent twice, every {@code poisonEvery}-th is followed by a bad message. */
    void publish(long seed, int customers, int count, int duplicateEvery, int poisonEvery) {
        ReadingPublisher publisher = pipeline.publisher();
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
        return pipeline.newSource(maxBatch);
    }

    /** Every stored reading, by customer and time. */
    List<Reading> allReadings() {
        return pipeline.database().allReadings();
    }

    IngestLoop loop(InMemoryReadingSource source, IngestObserver observer) {
        return loop(source, observer, Runnable::run);
    }

    /** A loop writing its batches on {@code writer} while it polls the next one. */
    IngestLoop loop(InMemoryReadingSource source, IngestObserver observer, Executor writer) {
        return pipeline.newLoop(source, observer, writer);
    }
}
