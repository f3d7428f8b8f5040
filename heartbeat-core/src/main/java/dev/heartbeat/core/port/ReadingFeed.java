package dev.heartbeat.core.port;

import dev.heartbeat.core.reading.Reading;

import java.util.List;
import java.util.function.Consumer;

/** Readings as they become durable, for live views: the dashboard's tiles, charts and alerts. */
public interface ReadingFeed {

    /**
     * Calls {@code listener} with each group of newly stored readings, on a thread of the feed's
     * own, until the returned subscription is closed. A slow listener delays only itself.
     */
    Subscription subscribe(Consumer<List<Reading>> listener);

    /** Ends a subscription; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
