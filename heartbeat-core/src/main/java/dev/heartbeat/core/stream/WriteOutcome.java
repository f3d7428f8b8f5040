package dev.heartbeat.core.stream;

import dev.heartbeat.core.InvalidValueException;

import java.util.Objects;

/** What the store did with a {@link StoreBatch}. */
public sealed interface WriteOutcome {

    /**
     * The batch is durable: {@code stored} new readings, {@code duplicates} readings whose natural key
     * (customer, recordedAt) was already stored, {@code rejected} rejects, and the positions.
     * {@code stored + duplicates + rejected} equals the batch's message count.
     */
    record Committed(int stored, int duplicates, int rejected) implements WriteOutcome {
        public Committed {
            if (stored < 0 || duplicates < 0 || rejected < 0) {
                throw new InvalidValueException("counts must be >= 0");
            }
        }

        public int messages() {
            return stored + duplicates + rejected;
        }
    }

    /**
     * Nothing was written: the batch starts before the position the store already holds for
     * {@code partition} (another consumer, or this one before a restart, already stored those
     * messages). The source must rewind to the stored positions.
     */
    record Stale(StreamPartition partition, long storedNextOffset, long batchFromOffset) implements WriteOutcome {
        public Stale {
            Objects.requireNonNull(partition, "partition");
        }
    }
}
