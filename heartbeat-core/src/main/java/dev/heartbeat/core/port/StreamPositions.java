package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The positions the store has made durable with the data they cover: where a source resumes and how
 * far the store is behind the stream. The one thing a {@link ReadingSource} needs of the store: the
 * positions, the gaps it had to skip, and which topic the positions belong to.
 */
public interface StreamPositions {

    /** The next offset to read for each partition the store knows; unknown partitions are absent. */
    Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions);

    /**
     * Records {@code gap} and moves its partition's position to the gap's end, in one transaction, only
     * while the stored position is still the gap's start (another consumer may have moved it since).
     *
     * @return whether the gap was recorded
     */
    boolean skip(StreamGap gap);

    /**
     * Binds the stored positions of {@code topic} to the broker's {@code topicId}. The first binding records
     * the id; the same id again changes nothing; another id means the topic was deleted and made again:
     * a {@link TopicBinding.Mismatch} that changes nothing, unless {@code replace}, which forgets the
     * positions of the old topic and records a gap for each of its partitions, at {@code now}.
     */
    TopicBinding bindTopic(String topic, String topicId, boolean replace, Instant now);
}
