package dev.heartbeat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server side of {@code /api/stream}: ONE subscription to the {@link ReadingFeed} for all clients, held only
 * while at least one is connected (a polling feed then asks the store nothing). Readings are coalesced to the newest per customer; every {@code streamInterval} a tick
 * hands each client what changed among the customers it follows, and once a second a {@code rate}
 * event with the readings stored in that second and the rate over the last five. Sends run on virtual threads, one at a time per
 * client, so a slow client delays only itself. Keep-alive comments go out every
 * {@code keepAliveInterval}; a failed write ends the client's stream and removes it.
 */
final class LiveStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);
    private static final long RATE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int RATE_PERIODS = 5;

    private final ReadingFeed feed;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final DashboardSettings settings;
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final ScheduledExecutorService ticker;
    private final ExecutorService senders;

    private final Object lock = new Object();
    private Map<CustomerId, Reading> changed = new HashMap<>();
    private final long[] levelCounts = new long[AnomalyLevel.values().length];
    private long rateStartedNanos = System.nanoTime();
    private long lastPingNanos = System.nanoTime();
    // only the ticker thread touches these
    private final long[] recentCounts = new long[RATE_PERIODS];
    private final long[] recentNanos = new long[RATE_PERIODS];
    private int recentIndex;
    private ReadingFeed.Subscription subscription;

    LiveStream(ReadingFeed feed, Clock clock, ObjectMapper mapper, DashboardSettings settings) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-stream-ticker")
                .daemon(true).factory());
        this.senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dashboard-stream-send-", 0).factory());
    }

    void start() {
        long every = settings.streamInterval().toNanos();
        ticker.scheduleAtFixedRate(this::tickSafely, every, every, TimeUnit.NANOSECONDS);
    }

    /** Called on the feed's thread with each group of stored readings. */
    private void accept(List<Reading> readings) {
        synchronized (lock) {
            for (Reading reading : readings) {
                changed.merge(reading.customerId(), reading, LiveStream::newer);
                levelCounts[reading.level().ordinal()]++;
            }
        }
    }

    static Reading newer(Reading a, Reading b) {
        return b.recordedAt().isAfter(a.recordedAt()) ? b : a;
    }

    /** Reserves a place for one more client; false when {@code maxStreamClients} are open. */
    boolean reserve() {
        while (true) {
            int now = admitted.get();
            if (now >= settings.maxStreamClients()) {
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        admitted.decrementAndGet();
    }

    /** Drops {@code client} once: its place among the streams and its client's share are given back. */
    private void forget(StreamClient client, Runnable onClose) {
        if (clients.remove(client)) {
            release();
            onClose.run();
            synchronized (lock) {
                if (clients.isEmpty() && subscription != null) {
                    subscription.close();
                    subscription = null;
                    changed.clear();
                }
            }
        }
    }

    int clientCount() {
        return clients.size();
    }

    /** Takes over a reserved client's connection: it stays open until the client leaves or we stop; then {@code onClose} runs. */
    void attach(SseClient sse, List<CustomerId> customers, Runnable onClose) {
        StreamClient client = new StreamClient(sse, Set.copyOf(customers), onClose);
        try {
            sse.keepAlive();
        } catch (RuntimeException e) {
            release();
            onClose.run();
            throw e;
        }
        sse.onClose(() -> forget(client, onClose));
        synchronized (lock) {
            clients.add(client);
            if (subscription == null) {
                // the feed is followed only while someone watches: a polling feed then asks the store nothing
                subscription = feed.subscribe(this::accept);
            }
        }
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("at", clock.instant());
        hello.put("customers", customers.stream().map(CustomerId::value).toList());
        hello.put("intervalMs", settings.streamInterval().toMillis());
        dispatch(client, Map.of(), new StreamClient.Event("hello", json(hello)));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // the ticker must survive anything: a dead ticker would freeze every client
            LOG.error("live stream tick failed", e);
        }
    }

    private void tick() {
        Map<CustomerId, Reading> batch;
        long[] counts = null;
        long nowNanos = System.nanoTime();
        long rateNanos = 0;
        synchronized (lock) {
            batch = changed;
            changed = new HashMap<>();
            if (nowNanos - rateStartedNanos >= RATE_EVERY_NANOS) {
                counts = levelCounts.clone();
                Arrays.fill(levelCounts, 0);
                rateNanos = nowNanos - rateStartedNanos;
                rateStartedNanos = nowNanos;
            }
        }
        StreamClient.Event rate = counts == null ? null : new StreamClient.Event("rate", rateJson(counts, rateNanos));
        boolean ping = nowNanos - lastPingNanos >= settings.keepAliveInterval().toNanos();
        if (ping) {
            lastPingNanos = nowNanos;
        }
        for (StreamClient client : clients) {
            if (client.isClosed()) {
                forget(client, client.onClose());
                continue;
            }
            dispatch(client, batch, rate);
            if (ping) {
                dispatch(client, Map.of(), new StreamClient.Event(null, "keep-alive"));
            }
        }
    }

    private void dispatch(StreamClient client, Map<CustomerId, Reading> batch, StreamClient.Event event) {
        if (client.offer(batch, event)) {
            try {
                senders.execute(() -> {
                    try {
                        client.drain(this::readingsJson);
                    } catch (RuntimeException e) {
                        LOG.debug("live stream client dropped: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException stopping) {
                client.close();
            }
        }
    }

    /**
     * The readings of the period just ended, and the rate over the last {@value #RATE_PERIODS}
     * periods: sources deliver in bursts (a batch, a simulator tick), so one period alone jitters.
     */
    private String rateJson(long[] counts, long nanos) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        recentCounts[recentIndex % RATE_PERIODS] = total;
        recentNanos[recentIndex % RATE_PERIODS] = nanos;
        recentIndex++;
        long windowCount = 0;
        long windowNanos = 0;
        for (int i = 0; i < Math.min(recentIndex, RATE_PERIODS); i++) {
            windowCount += recentCounts[i];
            windowNanos += recentNanos[i];
        }
        Map<String, Object> rate = new LinkedHashMap<>();
        rate.put("at", clock.instant());
        rate.put("seconds", ApiJson.round(nanos / 1e9, 3));
        rate.put("readings", total);
        rate.put("byLevel", ApiJson.byLevel(level -> counts[level.ordinal()]));
        rate.put("windowSeconds", ApiJson.round(windowNanos / 1e9, 3));
        rate.put("perSecond", ApiJson.round(windowCount / (windowNanos / 1e9), 1));
        return json(rate);
    }

    /** {@code {"r": [[customer, epochMillis, heartRate, level], ...]}}: compact, one row per customer. */
    private String readingsJson(Map<CustomerId, Reading> readings) {
        List<Object[]> rows = new ArrayList<>(readings.size());
        for (Reading r : readings.values()) {
            rows.add(new Object[] {r.customerId().value(), r.recordedAt().toEpochMilli(), r.heartRate(), r.level().wireName()});
        }
        return json(Map.of("r", rows));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write stream event", e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
        }
        ticker.shutdownNow();
        for (StreamClient client : clients) {
            client.close();
        }
        clients.clear();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
