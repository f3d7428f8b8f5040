package dev.heartbeat.core.stream;

import dev.heartbeat.core.InvalidValueException;

import java.util.Objects;

/**
 * The offsets of one partition that a batch covers: {@code fromOffset} (its first message) up to,
 * not including, {@code nextOffset} (the position to store once the batch is durable).
 */
public record PartitionRange(StreamPartition partition, long fromOffset, long nextOffset) {

    public PartitionRange {
        Objects.requireNonNull(partition, "partition");
        if (fromOffset < 0 || nextOffset <= fromOffset) {
            throw new InvalidValueException("a range needs 0 <= from < next, got " + fromOffset + ".." + nextOffset);
        }
    }
}
