package dev.heartbeat.core.feed;

import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.WrittenSince;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link ReadingFeed} for a process that does not ingest itself (a dashboard over a shared
 * database): every {@code interval} it asks the store what was written since its last poll
 * ({@link ReadingQueries#writtenSince}) and hands on the latest reading of each customer among them
 * (what tiles and live charts need), however many customers that is. A poll costs what was written
 * since the one before, not the size of the store. An ingesting process uses the push-based
 * {@link dev.heartbeat.core.feed.LiveReadingHub} instead. While nobody is subscribed it asks nothing;
 * the first poll after such a pause only takes a cursor.
 */
public final class PollingReadingFeed implements ReadingFeed, AutoCloseable {

    private final ReadingQueries queries;
    private final Duration interval;
    private final List<Consumer<List<Reading>>> listeners = new CopyOnWriteArrayList<>();
    /** Where the last poll left off; touched by the poller thread only. */
    private String cursor;
    private final Thread poller;
    private final AtomicLong polls = new AtomicLong();
    private volatile boolean running = true;

    public PollingReadingFeed(ReadingQueries queries, Duration interval) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.poller = Thread.ofVirtual().name("reading-feed-poller").unstarted(this::run);
        this.poller.start();
    }

    @Override
    public Subscription subscribe(Consumer<List<Reading>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /** One poll: the latest reading of each customer written since the last poll (the first poll only takes a cursor). */
    List<Reading> pollOnce(boolean first) {
        polls.incrementAndGet();
        WrittenSince written = queries.writtenSince(first ? Optional.empty() : Optional.ofNullable(cursor));
        cursor = written.cursor();
        return written.latest();
    }

    private void run() {
        boolean first = true;
        while (running) {
            if (listeners.isEmpty()) {
                first = true; // what changed meanwhile is not news to a listener that was not there
                if (!pause()) {
                    return;
                }
                continue;
            }
            try {
                List<Reading> fresh = pollOnce(first);
                first = false;
                if (!fresh.isEmpty()) {
                    for (Consumer<List<Reading>> listener : listeners) {
                        try {
                            listener.accept(fresh);
                        } catch (RuntimeException listenerFailed) {
                            // one listener's failure is its own; the others still get the readings
                        }
                    }
                }
            } catch (RuntimeException storeUnavailable) {
                // the store is down; try again at the next interval
            }
            if (!pause()) {
                return;
            }
        }
    }

    /** Sleeps one interval; false when interrupted (closed). */
    private boolean pause() {
        try {
            Thread.sleep(interval.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** How many polls have asked the store so far (for tests and diagnostics). */
    long polls() {
        return polls.get();
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
