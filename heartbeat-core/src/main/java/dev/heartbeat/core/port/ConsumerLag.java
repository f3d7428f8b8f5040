package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StreamPartition;

import java.util.List;
import java.util.Objects;

/** How far the store is behind the stream, per partition. */
public interface ConsumerLag {

    /** The lag of every partition of the stream, ordered by partition. */
    List<PartitionLag> lag();

    /** {@code endOffset} is the stream's next offset; {@code storedOffset} the store's position. */
    record PartitionLag(StreamPartition partition, long endOffset, long storedOffset) {
        public PartitionLag {
            Objects.requireNonNull(partition, "partition");
        }

        /** Messages published and not yet stored. */
        public long lag() {
            return Math.max(0, endOffset - storedOffset);
        }
    }
}
