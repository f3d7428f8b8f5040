package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;

import java.time.Duration;
import java.util.List;

/**
 * Told what the ingest loop does: metrics, status lines and the dashboard's live feed hang here.
 * Called on the ingest thread after the fact; implementations must be quick and must not throw.
 */
public interface IngestObserver {

    IngestObserver NONE = new IngestObserver() {
    };

    /** {@code batch} is durable. */
    default void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
    }

    /** A batch was refused as stale; the source rewinds. */
    default void stale(WriteOutcome.Stale outcome) {
    }

    /** Writing failed; the same batch is retried after {@code retryIn}. */
    default void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
    }

    /** The store took a batch again after failures. */
    default void storeRecovered(int failedAttempts) {
    }

    static IngestObserver all(List<IngestObserver> observers) {
        List<IngestObserver> copy = List.copyOf(observers);
        return new IngestObserver() {
            @Override
            public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
                copy.forEach(o -> o.committed(batch, outcome));
            }

            @Override
            public void stale(WriteOutcome.Stale outcome) {
                copy.forEach(o -> o.stale(outcome));
            }

            @Override
            public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
                copy.forEach(o -> o.storeFailed(cause, attempt, retryIn));
            }

            @Override
            public void storeRecovered(int failedAttempts) {
                copy.forEach(o -> o.storeRecovered(failedAttempts));
            }
        };
    }
}
