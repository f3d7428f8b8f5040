package dev.heartbeat.core.feed;

import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.reading.Reading;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The in-process {@link ReadingFeed}: told by the ingest loop what was committed, it hands each
 * batch's readings to every subscriber on the subscriber's own thread. The ingest thread never
 * waits: a subscriber that falls more than {@code capacity} batches behind misses batches (live
 * views recover from the next one) rather than slowing ingestion down.
 */
public final class LiveReadingHub implements IngestObserver, ReadingFeed {

    private final int capacity;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public LiveReadingHub(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    @Override
    public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
        if (!batch.readings().isEmpty()) {
            for (Subscriber subscriber : subscribers) {
                subscriber.offer(batch.readings());
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<List<Reading>> listener) {
        Subscriber subscriber = new Subscriber(Objects.requireNonNull(listener, "listener"), capacity);
        subscribers.add(subscriber);
        Thread thread = Thread.ofVirtual().name("live-feed-subscriber").start(subscriber);
        return () -> {
            subscribers.remove(subscriber);
            subscriber.stop();
            thread.interrupt();
        };
    }

    /** Batches dropped so far because a subscriber was too slow. */
    public long dropped() {
        return subscribers.stream().mapToLong(s -> s.dropped.sum()).sum();
    }

    private static final class Subscriber implements Runnable {
        private final Consumer<List<Reading>> listener;
        private final BlockingQueue<List<Reading>> queue;
        private volatile boolean running = true;
        private final LongAdder dropped = new LongAdder(); // offered to from every ingest loop

        Subscriber(Consumer<List<Reading>> listener, int capacity) {
            this.listener = listener;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        void offer(List<Reading> readings) {
            if (!queue.offer(readings)) {
                dropped.increment();
            }
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    List<Reading> next = queue.poll(1, TimeUnit.SECONDS);
                    if (next != null && running) {
                        listener.accept(next);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException listenerFailed) {
                    // a listener's own failure must not end its subscription; it sees the next batch
                }
            }
        }
    }
}
