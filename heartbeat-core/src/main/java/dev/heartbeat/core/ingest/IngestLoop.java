package dev.heartbeat.core.ingest;

import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSource;

import java.time.Duration;
import java.util.Objects;

/**
 * The consumer's loop: poll a batch, prepare it, write it; on success tell the source and the
 * observer; on a stale batch rewind the source; while the store fails, pause the source and retry
 * the same batch with capped exponential back-off, polling the (paused) source meanwhile so it stays
 * a member of its group. A batch is never dropped and a bad message never stops the loop.
 *
 * <p>{@link #stop()} (from any thread) ends it cleanly: the batch being written is either committed
 * or, if the store is failing, abandoned without a partial write; the next start resumes from the
 * store's positions.
 */
public final class IngestLoop implements Runnable {

    private final ReadingSource source;
    private final Ingest ingest;
    private final IngestObserver observer;
    private final Backoff backoff;
    private final Duration pollTimeout;
    private volatile boolean running = true;

    public IngestLoop(ReadingSource source, Ingest ingest, IngestObserver observer, Backoff backoff,
                      Duration pollTimeout) {
        this.source = Objects.requireNonNull(source, "source");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
    }

    @Override
    public void run() {
        try {
            source.start(ingest.store());
            while (running) {
                runOnce();
            }
        } finally {
            source.close();
        }
    }

    /**
     * One turn of the loop, for callers that drive it themselves (after {@code source.start}): polls
     * one batch and writes it until it is committed, found stale, or the loop is stopped.
     *
     * @return the number of messages polled (0 when the poll returned nothing)
     */
    public int runOnce() {
        SourceBatch batch = source.poll(pollTimeout);
        if (!batch.isEmpty()) {
            writeUntilDone(batch);
        }
        return batch.size();
    }

    /** Asks the loop to end; returns at once. */
    public void stop() {
        running = false;
        source.wakeup();
    }

    public boolean isRunning() {
        return running;
    }

    private void writeUntilDone(SourceBatch batch) {
        StoreBatch prepared = null;
        int failures = 0;
        while (true) {
            WriteOutcome outcome;
            try {
                if (prepared == null) {
                    prepared = ingest.prepare(batch);
                }
                outcome = ingest.write(prepared);
            } catch (RuntimeException e) {
                failures++;
                Duration delay = backoff.delay(failures);
                observer.storeFailed(e, failures, delay);
                if (failures == 1) {
                    source.pause();
                }
                if (!waitPaused(delay)) {
                    ingest.discarded();
                    return;
                }
                continue;
            }
            if (failures > 0) {
                source.resume();
                observer.storeRecovered(failures);
            }
            switch (outcome) {
                case WriteOutcome.Committed committed -> {
                    source.committed(batch);
                    observer.committed(prepared, committed);
                }
                case WriteOutcome.Stale stale -> {
                    ingest.discarded();
                    source.rewind();
                    observer.stale(stale);
                }
            }
            return;
        }
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
