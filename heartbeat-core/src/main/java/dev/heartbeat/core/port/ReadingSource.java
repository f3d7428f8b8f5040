package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.SourceBatch;

import java.time.Duration;

/**
 * Where readings come from (a Kafka consumer in production). Exactly-once lives in the store, not
 * here: the source asks the store ({@link StreamPositions}) for the positions of the partitions it is given
 * and starts from them; what it commits elsewhere (Kafka's group offsets) is informational only.
 *
 * <p>All methods but {@link #wakeup()} are called from one thread, the ingest loop's.
 */
public interface ReadingSource extends AutoCloseable {

    /** Joins the stream; positions come from {@code positions} (on start and on every new assignment). */
    void start(StreamPositions positions);

    /**
     * The next batch, waiting at most {@code timeout}; {@link SourceBatch#EMPTY} when there is none,
     * when paused, or after {@link #wakeup()}.
     */
    SourceBatch poll(Duration timeout);

    /** The store committed {@code batch}; the source may tell the broker (informational). */
    void committed(SourceBatch batch);

    /** Stop fetching (the store is unavailable) while staying a member of the stream. */
    void pause();

    /** Fetch again after {@link #pause()}. */
    void resume();

    /** Forget what was fetched and not committed, and start again from the store's positions. */
    void rewind();

    /** Makes a blocked {@link #poll(Duration)} return now; the only method safe from another thread. */
    void wakeup();

    @Override
    void close();
}
