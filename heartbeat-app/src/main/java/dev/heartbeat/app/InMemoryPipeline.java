package dev.heartbeat.app;

import dev.heartbeat.core.ingest.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryConsumerLag;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.memory.InMemoryReadingStore;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The whole pipeline on in-memory adapters: simulator -> in-memory bus -> ingest loop -> in-memory
 * store. No server needed; the same core code as the real pipeline, with adapters of the same
 * semantics.
 */
record InMemoryPipeline(InMemoryBus bus, InMemoryReadingStore store, IngestCounters counters, IngestLoop loop,
                        SimulationDriver driver, ConsumerLag lag) {

    static final int MAX_BATCH = 5_000;

    static InMemoryPipeline create(SimulationSettings simulation, long seed, int partitions, long maxReadings,
                                   SimulationDriver.Pace pace, Clock clock) {
        InMemoryBus bus = new InMemoryBus("heartbeat-data", partitions);
        InMemoryReadingStore store = new InMemoryReadingStore(clock);
        IngestCounters counters = new IngestCounters();
        Ingest ingest = new Ingest(new ReadingValidator(ValidationPolicy.defaults(), clock), store, clock);
        IngestLoop loop = new IngestLoop(new InMemoryReadingSource(bus, MAX_BATCH), ingest, counters, Backoff.DEFAULT,
                Duration.ofMillis(200));
        Simulator simulator = new Simulator(simulation, new SplittableRandom(seed));
        SimulationDriver driver = new SimulationDriver(simulator, new InMemoryReadingPublisher(bus), clock, pace, maxReadings);
        return new InMemoryPipeline(bus, store, counters, loop, driver, new InMemoryConsumerLag(bus, store));
    }

    /** Messages published and not yet stored, over all partitions. */
    long totalLag() {
        return lag.lag().stream().mapToLong(ConsumerLag.PartitionLag::lag).sum();
    }
}
