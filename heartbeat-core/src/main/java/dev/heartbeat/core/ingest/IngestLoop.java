package dev.heartbeat.core.ingest;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSource;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The consumer's loop: poll a batch, prepare it, write it; on success tell the source and the
 * observer; on a stale batch rewind the source; while the store fails, pause the source and retry
 * the same batch with capped exponential back-off, polling the (paused) source meanwhile so it stays
 * a member of its group. A batch is never dropped and a bad message never stops the loop. A store that
 * refuses the same batch {@value #PERMANENT_ATTEMPTS} times in a row for a reason waiting cannot fix (a
 * failure other than {@link StoreUnavailableException}: a revoked privilege, a schema from another
 * build, a broken constraint) ends the loop with {@link IngestStoppedException}: retrying it for ever
 * would look like an outage while it is a mistake to fix. Nothing is lost: the batch was not committed.
 *
 * <p>Given a {@code writer} (a thread of its own), the loop writes each batch there while it polls and
 * prepares the next one, so that decoding, validating and alerting overlap the store's transaction.
 * At most one batch is in flight, batches are written in the order they were polled, and the next one
 * is written only once the previous one committed; a batch from a new assignment generation waits for
 * the one in flight (the alert state it rebuilds is read from the store). A stale or abandoned batch in
 * flight takes the prepared next one with it. The source is only ever called from the loop's thread.
 *
 * <p>{@link #stop()} (from any thread) ends it cleanly: the batch being written is either committed
 * or, if the store is failing, abandoned without a partial write; the next start resumes from the
 * store's positions.
 */
public final class IngestLoop implements Runnable {

    /** How many times in a row a batch may fail for a reason waiting cannot fix before the loop ends. */
    public static final int PERMANENT_ATTEMPTS = 3;

    private final ReadingSource source;
    private final Ingest ingest;
    private final IngestObserver observer;
    private final Backoff backoff;
    private final Duration pollTimeout;
    private final Executor writer;
    private volatile boolean running = true;
    private InFlight inFlight;

    /** A batch handed to the writer: where it came from, what it writes, and how that went. */
    private record InFlight(SourceBatch batch, StoreBatch prepared, CompletableFuture<WriteOutcome> outcome) {
    }

    /** A loop that writes each batch itself, before it polls the next one. */
    public IngestLoop(ReadingSource source, Ingest ingest, IngestObserver observer, Backoff backoff,
                      Duration pollTimeout) {
        this(source, ingest, observer, backoff, pollTimeout, Runnable::run);
    }

    /**
     * A loop that writes each batch on {@code writer} while it polls and prepares the next one; the
     * caller owns {@code writer} and shuts it down after the loop has ended.
     */
    public IngestLoop(ReadingSource source, Ingest ingest, IngestObserver observer, Backoff backoff,
                      Duration pollTimeout, Executor writer) {
        this.source = Objects.requireNonNull(source, "source");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public void run() {
        try {
            source.start(ingest.store());
            while (running) {
                runOnce();
            }
            finishInFlight();
        } finally {
            awaitInFlight();
            source.close();
        }
    }

    /**
     * One turn of the loop, for callers that drive it themselves (after {@code source.start}): polls
     * one batch, settles the batch in flight, and starts writing the new one. Without a writer of its
     * own the new batch is written before this returns, until it is committed, found stale, or the loop
     * is stopped.
     *
     * @return the number of messages polled (0 when the poll returned nothing)
     */
    public int runOnce() {
        SourceBatch batch = source.poll(inFlight == null ? pollTimeout : Duration.ZERO);
        if (batch.isEmpty()) {
            finishInFlight();
            return 0;
        }
        if (inFlight != null && inFlight.batch().generation() != batch.generation() && !finishInFlight()) {
            return batch.size(); // stale (the source rewound: it forgot this batch too) or abandoned by stop()
        }
        StoreBatch prepared;
        try {
            prepared = ingest.prepare(batch);
        } catch (RuntimeException unavailable) {
            if (finishInFlight()) {
                writeUntilDone(batch, null, unavailable);
            }
            return batch.size();
        }
        if (!finishInFlight()) {
            ingest.discarded();
            return batch.size();
        }
        CompletableFuture<WriteOutcome> outcome;
        try {
            outcome = CompletableFuture.supplyAsync(() -> ingest.write(prepared), writer);
        } catch (RejectedExecutionException writerGone) {
            // the writer was shut down (a stop that outwaited a slow write): write it here, as without one
            outcome = CompletableFuture.failedFuture(writerGone);
        }
        inFlight = new InFlight(batch, prepared, outcome);
        if (inFlight.outcome().isDone()) {
            finishInFlight();
        }
        return batch.size();
    }

    /** Asks the loop to end; returns at once. */
    public void stop() {
        running = false;
        source.wakeup();
    }

    /**
     * Waits for the batch in flight, if any, and settles it (retrying it here while the store fails).
     *
     * @return false when it was not committed: stale (the source rewound) or abandoned by {@link #stop()}
     */
    private boolean finishInFlight() {
        InFlight done = inFlight;
        if (done == null) {
            return true;
        }
        inFlight = null;
        WriteOutcome outcome;
        try {
            outcome = done.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                return writeUntilDone(done.batch(), done.prepared(), failure);
            }
            ingest.discarded();
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        return settle(done.batch(), done.prepared(), outcome, 0);
    }

    /**
     * When the loop ends on an exception with a write in flight: waits for it, so that it ends before
     * the source closes, and counts it if it committed (the next start reads the positions anyway).
     */
    private void awaitInFlight() {
        InFlight done = inFlight;
        if (done == null) {
            return;
        }
        inFlight = null;
        WriteOutcome outcome = done.outcome().exceptionally(failure -> null).join();
        if (outcome instanceof WriteOutcome.Committed committed) {
            observer.committed(done.prepared(), committed);
        } else {
            ingest.discarded();
        }
    }

    /**
     * Writes {@code batch} ({@code prepared} when it was prepared already) after {@code failure}, with
     * back-off and the source paused, until it is committed, found stale, or the loop is stopped.
     */
    private boolean writeUntilDone(SourceBatch batch, StoreBatch prepared, RuntimeException failure) {
        int failures = 0;
        int permanent = 0;
        while (true) {
            failures++;
            permanent = failure instanceof StoreUnavailableException ? 0 : permanent + 1;
            if (permanent >= PERMANENT_ATTEMPTS) {
                ingest.discarded();
                throw new IngestStoppedException("the store refused the same batch " + permanent + " times for a reason "
                        + "waiting will not fix: " + failure.getMessage() + ". Ingestion stops: fix the cause (a revoked "
                        + "privilege? a schema from another build?) and start again; the batch was not committed and is "
                        + "read again then", failure);
            }
            Duration delay = backoff.delay(failures);
            observer.storeFailed(failure, failures, delay);
            if (failures == 1) {
                source.pause();
            }
            if (!waitPaused(delay)) {
                ingest.discarded();
                return false;
            }
            WriteOutcome outcome;
            try {
                if (prepared == null) {
                    prepared = ingest.prepare(batch);
                }
                outcome = ingest.write(prepared);
            } catch (RuntimeException e) {
                failure = e;
                continue;
            }
            return settle(batch, prepared, outcome, failures);
        }
    }

    private boolean settle(SourceBatch batch, StoreBatch prepared, WriteOutcome outcome, int failures) {
        if (failures > 0) {
            source.resume();
            observer.storeRecovered(failures);
        }
        return switch (outcome) {
            case WriteOutcome.Committed committed -> {
                source.committed(batch);
                observer.committed(prepared, committed);
                yield true;
            }
            case WriteOutcome.Stale stale -> {
                ingest.discarded();
                source.rewind();
                observer.stale(stale);
                yield false;
            }
        };
    }

    /** Polls the paused source for {@code delay}; false when the loop was stopped meanwhile. */
    private boolean waitPaused(Duration delay) {
        if (!running) {
            source.resume();
            return false;
        }
        SourceBatch unexpected = source.poll(delay);
        if (!unexpected.isEmpty()) {
            // A paused source should return nothing; if it did, forget it: it will be fetched again.
            source.rewind();
        }
        if (!running) {
            source.resume();
            return false;
        }
        return true;
    }
}
