package dev.heartbeat.app.runtime;

import dev.heartbeat.core.alert.AlertDispatcher;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.ingest.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.ingest.LiveReadingHub;
import dev.heartbeat.core.port.AlertOutbox;
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
 * The consumer side of a process, over ports: the ingest loop (source to store, alerts evaluated and
 * written with their batch) on one thread, writing each batch on a second while it polls and prepares
 * the next, the alert dispatcher (outbox to sinks) on another, the live feed for the dashboard,
 * counters for the status line, and readiness.
 */
public final class Ingestion implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    static final Duration STOP_WAIT = Duration.ofSeconds(8);

    private final IngestLoop loop;
    // the store's transaction for one batch overlaps decoding, validating and alerting of the next
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("ingest-writer").daemon(true).factory());
    private final AlertDispatcher dispatcher;
    private final IngestCounters counters = new IngestCounters();
    private final LiveReadingHub liveFeed = new LiveReadingHub(64);
    private final Readiness readiness = new Readiness();
    private Thread loopThread;
    private Thread dispatcherThread;

    /**
     * @param observers further observers (metrics, log) besides the counters, the live feed and readiness
     */
    public Ingestion(ReadingSource source, ReadingStore store, AlertStore alerts, AlertOutbox outbox, List<AlertSink> sinks,
                     List<AlertRule> rules, ValidationPolicy policy, Clock clock, List<IngestObserver> observers) {
        Objects.requireNonNull(source, "source");
        Ingest ingest = new Ingest(new ReadingValidator(policy, clock), store, clock)
                .withAlerts(new AlertEngine(rules, Duration.ofSeconds(1)), alerts);
        List<IngestObserver> all = new ArrayList<>(List.of(counters, liveFeed, readiness));
        all.addAll(observers);
        this.loop = new IngestLoop(source, ingest, IngestObserver.all(all), Backoff.DEFAULT, POLL_TIMEOUT, writer);
        this.dispatcher = new AlertDispatcher(outbox, sinks, clock, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
                Duration.ofSeconds(1), 100);
    }

    public void start() {
        loopThread = Thread.ofPlatform().name("ingest").uncaughtExceptionHandler((thread, failure) -> {
            readiness.stopping();
            log.error("The ingest loop stopped: {}", failure.getMessage(), failure);
        }).start(loop);
        dispatcherThread = Thread.ofPlatform().name("alert-dispatcher").daemon(true).start(dispatcher);
        readiness.started();
    }

    /** Whether the ingest loop still runs (it ends only when stopped, or on a position the log no longer has). */
    public boolean isAlive() {
        return loopThread != null && loopThread.isAlive();
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

    /** Stops the loop (the batch in flight is committed or not started) and the dispatcher, waiting up to 8 s. */
    @Override
    public void close() {
        readiness.stopping();
        loop.stop();
        dispatcher.stop();
        join(loopThread);
        writer.shutdown();
        if (dispatcherThread != null) {
            dispatcherThread.interrupt();
        }
        join(dispatcherThread);
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
