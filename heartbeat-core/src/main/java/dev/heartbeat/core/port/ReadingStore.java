package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;

/**
 * Where readings, rejects and source positions become durable: together, atomically, exactly once.
 * Implementations throw {@link dev.heartbeat.core.StoreUnavailableException} when they cannot be
 * reached; then nothing of the batch was written.
 */
public interface ReadingStore extends StreamPositions {

    /**
     * Makes the batch durable in one transaction, unless it is stale: when a partition's range
     * starts before the position already stored for it, nothing is written and the outcome is
     * {@link WriteOutcome.Stale}. A range that starts at or after the stored position is accepted
     * (a gap means the broker no longer holds those messages). Readings whose natural key is already
     * stored are counted as duplicates, not stored twice.
     */
    WriteOutcome write(StoreBatch batch);
}
