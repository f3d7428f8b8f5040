package dev.heartbeat.core.memory;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * The whole pipeline on in-memory adapters, assembled in one place: publisher → {@link InMemoryBus}
 * → {@link InMemoryReadingSource} → the real {@link Ingest} and {@link IngestLoop} → an
 * {@link InMemoryDatabase}, with the counters and the lag of the store behind the bus. The same core
 * code as the production pipeline; no server needed.
 *
 * <pre>{@code
 * InMemoryPipeline pipeline = InMemoryPipeline.builder(clock).maxBatch(20).build();
 * pipeline.publisher().publish(reading);
 * pipeline.drain();
 * pipeline.queries().latest(reading.customerId());
 * }</pre>
 *
 * <p>A consumer restarted over the same bus and data is a {@link #newLoop} over a {@link #newSource}.
 */
public final class InMemoryPipeline {

    public static final String TOPIC = "heartbeat-data";

    private final Clock clock;
    private final InMemoryBus bus;
    private final InMemoryDatabase database;
    private final ReadingStore store;
    private final ReadingPublisher publisher;
    private final Ingest ingest;
    private final IngestCounters counters = new IngestCounters();
    private final IngestObserver observer;
    private final Backoff backoff;
    private final Duration pollTimeout;
    private final int maxBatch;
    private final InMemoryReadingSource source;
    private final IngestLoop loop;
    private final ConsumerLag lag;
    private boolean started;

    private InMemoryPipeline(Builder b) {
        this.clock = b.clock;
        this.bus = new InMemoryBus(b.topic, b.partitions);
        this.database = new InMemoryDatabase(clock);
        this.store = Objects.requireNonNull(b.storeDecorator.apply(database.store()), "decorated store");
        this.publisher = new InMemoryReadingPublisher(bus);
        Ingest plain = new Ingest(new ReadingValidator(ValidationPolicy.defaults(), clock), store, clock);
        this.ingest = b.alertEngine == null ? plain : plain.withAlerts(b.alertEngine, database.alerts());
        List<IngestObserver> observers = new ArrayList<>();
        observers.add(counters);
        observers.addAll(b.observers);
        this.observer = IngestObserver.all(observers);
        this.backoff = b.backoff;
        this.pollTimeout = b.pollTimeout;
        this.maxBatch = b.maxBatch;
        this.source = newSource(maxBatch);
        this.loop = newLoop(source, observer, Runnable::run);
        this.lag = new InMemoryConsumerLag(bus, store);
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    public InMemoryBus bus() {
        return bus;
    }

    public InMemoryDatabase database() {
        return database;
    }

    /** The store the ingest loop writes to (the database's, or what {@link Builder#storeDecorator} made of it). */
    public ReadingStore store() {
        return store;
    }

    public ReadingQueries queries() {
        return database.queries();
    }

    public AlertStore alerts() {
        return database.alerts();
    }

    public AlertOutbox outbox() {
        return database.outbox();
    }

    public SilenceStore silences() {
        return database.silences();
    }

    /** Publishes onto the bus. */
    public ReadingPublisher publisher() {
        return publisher;
    }

    public Ingest ingest() {
        return ingest;
    }

    /** What the pipeline's own loop committed. */
    public IngestCounters counters() {
        return counters;
    }

    /** The pipeline's own loop over its own source; run it on a thread, or {@link #drain()} it. */
    public IngestLoop loop() {
        return loop;
    }

    public ConsumerLag lag() {
        return lag;
    }

    /** Messages published and not yet stored, over all partitions. */
    public long totalLag() {
        return lag.lag().stream().mapToLong(ConsumerLag.PartitionLag::lag).sum();
    }

    /**
     * Runs the pipeline's loop on the calling thread until a turn finds nothing to read: everything
     * published before the call is then stored (or rejected, or counted a duplicate).
     *
     * @return the messages read
     */
    public synchronized long drain() {
        if (!started) {
            source.start(store);
            started = true;
        }
        long read = 0;
        int polled;
        while ((polled = loop.runOnce()) > 0) {
            read += polled;
        }
        return read;
    }

    /** A new consumer of the bus, starting from the store's positions once started. */
    public InMemoryReadingSource newSource(int maxBatch) {
        return new InMemoryReadingSource(bus, maxBatch);
    }

    /** A new loop of this pipeline's ingest over {@code source}, writing on {@code writer} ({@code Runnable::run}: inline). */
    public IngestLoop newLoop(ReadingSource source, IngestObserver observer, Executor writer) {
        return new IngestLoop(source, ingest, observer, backoff, pollTimeout, writer);
    }

    /** How to assemble an {@link InMemoryPipeline}; every setting has a default. */
    public static final class Builder {

        private final Clock clock;
        private String topic = TOPIC;
        private int partitions = 3;
        private int maxBatch = 5_000;
        private Duration pollTimeout = Duration.ofMillis(200);
        private Backoff backoff = Backoff.DEFAULT;
        private AlertEngine alertEngine;
        private final List<IngestObserver> observers = new ArrayList<>();
        private UnaryOperator<ReadingStore> storeDecorator = UnaryOperator.identity();

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The bus's topic (default {@value InMemoryPipeline#TOPIC}). */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The bus's partitions (default 3). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** The most messages in one batch (default 5,000). */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** How long a poll waits for messages (default 200 ms). */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
            return this;
        }

        /** The retry schedule while the store fails (default {@link Backoff#DEFAULT}). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Raise alerts with {@code engine}, restoring open ones from the database (default: no alerting). */
        public Builder alerts(AlertEngine engine) {
            this.alertEngine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Also tell {@code observer} what the loop does (the counters always are). */
        public Builder observer(IngestObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** Wraps the store the loop writes to and the source positions itself from (faults, instrumentation). */
        public Builder storeDecorator(UnaryOperator<ReadingStore> decorator) {
            this.storeDecorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        public InMemoryPipeline build() {
            return new InMemoryPipeline(this);
        }
    }
}
