package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StreamPartition;

import java.util.Collection;
import java.util.Map;

/**
 * The positions the store has made durable with the data they cover: where a source resumes and how
 * far the store is behind the stream. The one thing a {@link ReadingSource} needs of the store.
 */
public interface StreamPositions {

    /** The next offset to read for each partition the store knows; unknown partitions are absent. */
    Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions);
}
