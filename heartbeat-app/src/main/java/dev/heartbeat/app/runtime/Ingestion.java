package dev.heartbeat.app.runtime;

import dev.heartbeat.core.delivery.AlertDispatcher;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.ingest.IngestStoppedException;
import dev.heartbeat.core.feed.LiveReadingHub;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The consumer side of a process, over ports: an ingest loop per source (source to store, alerts
 * evaluated and written with their batch) on a thread of its own, each writing its batches on a second
 * thread while it polls and prepares the next; the alert dispatcher (outbox to sinks) on another; the
 * live feed for the dashboard, counters for the status line, and readiness (of every loop), shared by
 * the loops.
 *
 * <p>Several sources are several members of one consumer group in one process: each loop owns the
 * partitions the group assigns its source, keeps their positions in the store like a process of its
 * own would, and alerts on their customers; the store's transactions of different loops run side by
 * side on connections of their own.
 */
public final class Ingestion implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    static final Duration STOP_WAIT = Duration.ofSeconds(8);

    private final List<Lane> lanes = new ArrayList<>();
    private final AlertDispatcher dispatcher;
    private final IngestCounters counters = new IngestCounters();
    private final LiveReadingHub liveFeed = new LiveReadingHub(64);
    private final Readiness readiness;
    private Thread dispatcherThread;

    /** One ingest loop, the thread that runs it and the one that writes its batches. */
    private static final class Lane {
        final IngestLoop loop;
        final String name;
        // the store's transaction for one batch overlaps decoding, validating and alerting of the next
        final ExecutorService writer;
        Thread thread;

        Lane(IngestLoop loop, String name, ExecutorService writer) {
            this.loop = loop;
            this.name = name;
            this.writer = writer;
        }
    }

    /**
     * @param sources   one per ingest loop: members of the same consumer group
     * @param observers further observers (metrics, log) besides the counters, the live feed and readiness
     * @param readiness the process's readiness, which every loop reports to
     */
    public Ingestion(List<? extends ReadingSource> sources, ReadingStore store, AlertStore alerts, AlertOutbox outbox,
                     SilenceStore silences, List<AlertSink> sinks, List<AlertRule> rules, Reminders reminders, ValidationPolicy policy, Clock clock,
                     List<IngestObserver> observers, Readiness readiness) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one source");
        }
        List<IngestObserver> shared = new ArrayList<>(List.of(counters, liveFeed));
        shared.addAll(observers);
        for (int i = 0; i < sources.size(); i++) {
            ReadingSource source = Objects.requireNonNull(sources.get(i), "source");
            List<IngestObserver> all = new ArrayList<>(shared);
            all.add(readiness.loop());
            IngestObserver observer = IngestObserver.all(all);
            // alert state is per customer, and a customer's readings all come through one partition: one engine per loop
            Ingest ingest = new Ingest(new ReadingValidator(policy, clock), store, clock)
                    .withAlerts(new AlertEngine(rules, Duration.ofSeconds(1)), alerts);
            String name = sources.size() == 1 ? "ingest" : "ingest-" + (i + 1);
            ExecutorService writer = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name(name + "-writer").daemon(true).factory());
            lanes.add(new Lane(new IngestLoop(source, ingest, observer, Backoff.DEFAULT, POLL_TIMEOUT, writer), name, writer));
        }
        this.dispatcher = new AlertDispatcher(outbox, sinks, clock, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
                Duration.ofSeconds(1), 100, reminders, silences);
    }

    public void start() {
        for (Lane lane : lanes) {
            lane.thread = Thread.ofPlatform().name(lane.name).uncaughtExceptionHandler((thread, failure) -> {
                readiness.stopping();
                if (failure instanceof IngestStoppedException stopped) {
                    // an operator's mistake to fix, said in one line (the cause is in the message)
                    log.error("The ingest loop {} stopped: {}", thread.getName(), stopped.getMessage());
                } else {
                    log.error("The ingest loop {} stopped: {}", thread.getName(), failure.getMessage(), failure);
                }
            }).start(lane.loop);
        }
        dispatcherThread = Thread.ofPlatform().name("alert-dispatcher").daemon(true).start(dispatcher);
        readiness.started();
    }

    /**
     * Whether every ingest loop still runs (one ends only when stopped, or on a position the log no longer
     * has: then the process should end, and its partitions go to the group's other members).
     */
    public boolean isAlive() {
        return lanes.stream().allMatch(lane -> lane.thread != null && lane.thread.isAlive());
    }

    public IngestCounters counters() {
        return counters;
    }

    public LiveReadingHub liveFeed() {
        return liveFeed;
    }

    public Readiness readiness() {
        return readiness;
    }

    public AlertDispatcher dispatcher() {
        return dispatcher;
    }

    /** Stops the loops (each one's batch in flight is committed or not started) and the dispatcher, waiting up to 8 s. */
    @Override
    public void close() {
        readiness.stopping();
        lanes.forEach(lane -> lane.loop.stop());
        dispatcher.stop();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Lane lane : lanes) {
            join(lane.thread, Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            lane.writer.shutdown();
        }
        if (dispatcherThread != null) {
            dispatcherThread.interrupt();
        }
        join(dispatcherThread, STOP_WAIT);
    }

    private static void join(Thread thread, Duration wait) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
