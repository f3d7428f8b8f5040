package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.StreamPartition;

import java.util.List;

/**
 * One contract test's stream (a topic or a bus of its own, empty at first) and new clients of it of the
 * adapter under test; shared with the adapters' tests through the test jar.
 */
public interface TestStream {

    /** Every partition of the stream. */
    List<StreamPartition> partitions();

    /** A new publisher to the stream. */
    ReadingPublisher publisher();

    /**
     * A new source of the stream, not started, taking at most {@value StreamFixtures#MAX_BATCH} messages a
     * poll; a test has one started source of a stream at a time, so it reads every partition.
     */
    ReadingSource source();
}
