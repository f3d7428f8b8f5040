package dev.heartbeat.kafka;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSource;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Core's ingest loop on a thread of its own, writing each batch on a writer thread while it polls the
 * next, as the application runs it; stopping it checks it ended cleanly.
 */
final class RunningLoop implements AutoCloseable {

    static final Backoff FAST_BACKOFF = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private final IngestLoop loop;
    private final ExecutorService writer;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private boolean closed;

    private RunningLoop(ReadingSource source, Ingest ingest, IngestObserver observer, String name) {
        this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name + "-writer").factory());
        this.loop = new IngestLoop(source, ingest, observer, FAST_BACKOFF, Duration.ofMillis(100), writer);
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                writer.shutdown();
            }
        }, name);
    }

    static RunningLoop start(String name, ReadingSource source, Ingest ingest, IngestObserver observer) {
        RunningLoop running = new RunningLoop(source, ingest, observer, name);
        running.thread.start();
        return running;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** The loop is still running: nothing it met so far stopped it. */
    void assertRunning() {
        assertNull(failure.get(), () -> "the ingest loop failed: " + failure.get());
        assertTrue(thread.isAlive(), "the ingest loop is running");
    }

    /**
     * Waits for the loop to end by itself with an exception and returns that exception. Fails when the
     * loop still runs after {@code within} (stopping it first) or ended without one.
     */
    Throwable awaitFailure(Duration within) {
        closed = true;
        try {
            thread.join(within);
            if (thread.isAlive()) {
                loop.stop();
                thread.join(Duration.ofSeconds(30));
                fail("the ingest loop still ran " + within + " after it started; failure so far: " + failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the ingest loop to fail", e);
        }
        assertNotNull(failure.get(), "the ingest loop ended without an exception");
        return failure.get();
    }

    /** Stops the loop and waits for it: a clean stop (wakeup, close) within seconds, no exception. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the ingest loop", e);
        }
        assertFalse(thread.isAlive(), "the ingest loop did not stop within 30 s of stop()");
        assertNull(failure.get(), () -> "the ingest loop failed: " + failure.get());
    }
}
