package dev.heartbeat.web.bench;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.feed.LiveReadingHub;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.memory.InMemoryPipeline;
import dev.heartbeat.core.memory.StoreFaults;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Core's {@link InMemoryPipeline}, for the dashboard's tests, demo and benchmark: the bus, the real
 * ingest loop, an in-memory database, the {@link LiveReadingHub} the dashboard streams from, and the
 * lag of the store behind the bus. Alerts are raised with core's default rules. History can be written
 * straight into the store (fast, no bus; its alerts by an engine of its own), live readings travel the
 * real path: bus, validation, alerts, store, hub.
 */
public final class SimulatedPipeline implements AutoCloseable {

    public static final String TOPIC = "heartbeat-data";
    /** Backfilled history is written under its own topic, so the live topic's positions start at 0. */
    public static final String BACKFILL_TOPIC = "heartbeat-backfill";

    public final Clock clock;
    /** Every port below is behind this switch: a test can take the store down. */
    public final StoreFaults faults = new StoreFaults();
    public final InMemoryPipeline pipeline;
    public final InMemoryBus bus;
    public final InMemoryDatabase database;
    public final ReadingStore store;
    public final ReadingQueries queries;
    public final AlertStore alerts;
    public final LiveReadingHub hub = new LiveReadingHub(1024);
    public final IngestCounters counters;
    public final ConsumerLag lag;
    private final IngestLoop loop;
    private final ReadingPublisher publisher;
    private final List<Thread> threads = new ArrayList<>();
    private final List<SimulationDriver> drivers = new ArrayList<>();
    private final AlertEngine backfillAlerts = AlertEngine.withDefaults();
    private long backfillOffset;

    public SimulatedPipeline(Clock clock, int partitions) {
        this.clock = clock;
        this.pipeline = InMemoryPipeline.builder(clock)
                .topic(TOPIC)
                .partitions(partitions)
                .alerts(AlertEngine.withDefaults())
                .observer(hub)
                .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)))
                .pollTimeout(Duration.ofMillis(50))
                .storeDecorator(faults::store)
                .build();
        this.bus = pipeline.bus();
        this.database = pipeline.database();
        this.store = pipeline.store();
        this.queries = faults.wrap(ReadingQueries.class, pipeline.queries());
        this.alerts = faults.wrap(AlertStore.class, pipeline.alerts());
        this.counters = pipeline.counters();
        this.lag = pipeline.lag();
        this.publisher = pipeline.publisher();
        this.loop = pipeline.loop();
    }

    /** Starts the ingest loop on its own thread: from now on whatever reaches the bus is stored and streamed. */
    public void startIngest() {
        Thread thread = Thread.ofPlatform().name("simulated-ingest").daemon(true).start(loop);
        threads.add(thread);
    }

    public void publish(Reading reading) {
        publisher.publish(reading);
    }

    /** A message that is not JSON at all, as a broken producer would send it. */
    public void publishMalformed(String key, String payload) {
        bus.append(key, new Undecodable(RejectReason.MALFORMED_JSON, "unexpected end of input"),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON message with a customer id that is not one (markup, for example). */
    public void publishBadCustomerId(String customerId, Instant at, int heartRate) {
        String payload = "{\"customer_id\":\"" + customerId.replace("\"", "\\\"") + "\",\"timestamp\":\"" + at
                + "\",\"heart_rate\":" + heartRate + ",\"state\":\"rest\"}";
        bus.append("bad", new RawReading(RawValue.text(customerId), RawValue.text(at.toString()),
                RawValue.number(heartRate), RawValue.text("rest")), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A reading message whose heart rate no sensor can measure. */
    public void publishOutOfRange(String customerId, Instant at, int heartRate) {
        String payload = "{\"customer_id\":\"" + customerId + "\",\"timestamp\":\"" + at + "\",\"heart_rate\":"
                + heartRate + ",\"state\":\"anomaly\"}";
        bus.append(customerId, new RawReading(RawValue.text(customerId), RawValue.text(at.toString()),
                RawValue.number(heartRate), RawValue.text("anomaly")), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Messages published and not yet stored. */
    public long lagTotal() {
        return lag.lag().stream().mapToLong(l -> l.lag()).sum();
    }

    /** Waits until the ingest loop has stored everything published so far. */
    public void awaitIngested(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lagTotal() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ingest did not catch up within " + timeout + "; lag " + lagTotal());
            }
            Thread.sleep(5);
        }
    }

    /**
     * Writes {@code simulator}'s ticks up to {@code until} straight into the store in batches of
     * about {@code batchReadings}, with the store's clock pinned to each batch's time when it is a
     * {@link ShiftableClock}; every {@code rejectEvery}-th batch carries a reject and every
     * {@code duplicateEvery}-th re-sends a reading. Returns the readings written.
     */
    public long backfill(Simulator simulator, Instant until, int batchReadings, int rejectEvery, int duplicateEvery) {
        StreamPartition partition = new StreamPartition(BACKFILL_TOPIC, 0);
        ShiftableClock shiftable = clock instanceof ShiftableClock s ? s : null;
        List<Reading> pending = new ArrayList<>(batchReadings + simulator.settings().customers());
        long written = 0;
        long batches = 0;
        while (simulator.nextTickAt().isBefore(until)) {
            for (SimulatedReading r : simulator.nextTick()) {
                pending.add(r.reading());
            }
            if (pending.size() >= batchReadings) {
                written += writeBackfill(partition, pending, ++batches, rejectEvery, duplicateEvery, shiftable);
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            written += writeBackfill(partition, pending, ++batches, rejectEvery, duplicateEvery, shiftable);
        }
        if (shiftable != null) {
            shiftable.unpin();
        }
        return written;
    }

    private long writeBackfill(StreamPartition partition, List<Reading> readings, long batchNumber, int rejectEvery,
                               int duplicateEvery, ShiftableClock shiftable) {
        Instant newest = readings.getLast().recordedAt();
        if (shiftable != null) {
            shiftable.pin(newest.plusMillis(40));
        }
        List<Reading> all = new ArrayList<>(readings);
        if (duplicateEvery > 0 && batchNumber % duplicateEvery == 0) {
            all.add(readings.getFirst());
        }
        List<RejectedMessage> rejects = new ArrayList<>();
        if (rejectEvery > 0 && batchNumber % rejectEvery == 0) {
            long offset = backfillOffset + all.size();
            RejectReason reason = batchNumber % (2L * rejectEvery) == 0 ? RejectReason.HEART_RATE_OUT_OF_RANGE
                    : RejectReason.MALFORMED_JSON;
            String payload = reason == RejectReason.MALFORMED_JSON ? "{\"customer_id\":\"cust-00001\",\"heart_"
                    : "{\"customer_id\":\"cust-00002\",\"timestamp\":\"" + newest + "\",\"heart_rate\":999,\"state\":\"anomaly\"}";
            rejects.add(RejectedMessage.of(partition, offset, reason,
                    reason == RejectReason.MALFORMED_JSON ? "unexpected end of input" : "heart rate 999 is outside 30-250 bpm",
                    payload.getBytes(StandardCharsets.UTF_8), shiftable != null ? shiftable.instant() : clock.instant()));
        }
        int messages = all.size() + rejects.size();
        List<AlertTransition> alerts = backfillAlerts.accept(all);
        store.write(new StoreBatch(all, rejects, List.of(new PartitionRange(partition, backfillOffset, backfillOffset + messages)),
                alerts));
        backfillOffset += messages;
        return readings.size();
    }

    /** Runs a simulator live (each tick when the clock reaches it) through the bus, on its own thread. */
    public SimulationDriver simulateLive(Simulator simulator) {
        SimulationDriver driver = new SimulationDriver(simulator, publisher, clock, SimulationDriver.Pace.LIVE, Long.MAX_VALUE);
        drivers.add(driver);
        threads.add(Thread.ofPlatform().name("simulated-sensors").daemon(true).start(driver));
        return driver;
    }

    /** A simulator of {@code customers} starting at {@code start}, one reading per customer per {@code interval}. */
    public static Simulator simulator(int customers, Instant start, Duration interval, double anomaliesPerCustomerHour,
                                      long seed) {
        SimulationSettings settings = SimulationSettings.of(customers, start).withInterval(interval)
                .withAnomaliesPerCustomerHour(anomaliesPerCustomerHour);
        return new Simulator(settings, new SplittableRandom(seed));
    }

    @Override
    public void close() {
        drivers.forEach(SimulationDriver::stop);
        loop.stop();
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
