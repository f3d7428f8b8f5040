package dev.heartbeat.web;

import dev.heartbeat.core.Durations;
import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.ThroughputPoint;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.validation.RejectReason;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The pipeline-health endpoints: what was committed over time, totals, and the consumer's lag. */
final class PipelineApi {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineApi.class);

    /** Bucket lengths the chart uses when the client does not choose one. */
    private static final List<Duration> NICE_BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1));
    private static final int AUTO_BUCKETS = 120;
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final ReadingQueries queries;
    private final ConsumerLag lag;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    PipelineApi(ReadingQueries queries, ConsumerLag lag, Clock clock) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.lag = Objects.requireNonNull(lag, "lag");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    record Series(List<Long> t, List<Long> messages, List<Long> stored, List<Long> rejected, List<Long> duplicates,
                  List<Long> maxLatencyMs) {
    }

    record Totals(long messages, long stored, long rejected, long duplicates, double storedPerSecond,
                  long maxLatencyMs) {
    }

    record Position(String topic, int partition, long nextOffset) {
    }

    record Gap(String topic, int partition, long fromOffset, long toOffset, long messages, Instant detectedAt, String reason,
               String detail) {
    }

    record Counters(long messages, long stored, long rejected, long duplicates, long customers, Instant newestReading,
                    Long freshnessMs, Map<String, Long> rejectsByReason, List<Position> positions, long gaps,
                    long skippedMessages, List<Gap> recentGaps) {
    }

    record PipelineView(Instant from, Instant to, double bucketSeconds, Totals totals, Series throughput,
                        Counters counters) {
    }

    /** {@code GET /api/pipeline?range=1h&bucket=1m}: throughput and latency per bucket, totals, counters. */
    void pipeline(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("range", "from", "to", "bucket"));
        TimeRange range = params.timeRange(clock, Duration.ofHours(1), Duration.ofMinutes(1), ApiLimits.MAX_RANGE);
        Duration bucket = params.duration("bucket", Duration.ofSeconds(1), Duration.ofDays(1))
                .orElseGet(() -> autoBucket(range));
        if (range.length().dividedBy(bucket) > ApiLimits.MAX_THROUGHPUT_BUCKETS) {
            throw new BadParameterException("bucket", "bucket " + Durations.format(bucket) + " gives more than "
                    + ApiLimits.MAX_THROUGHPUT_BUCKETS + " buckets over " + Durations.format(range.length())
                    + "; choose a longer bucket or a shorter range");
        }
        List<ThroughputPoint> points = queries.throughput(range, bucket);
        PipelineCounters counters = queries.counters();
        ctx.json(new PipelineView(range.from(), range.to(), ApiJson.seconds(bucket), totals(points, range),
                series(points), counters(counters)));
    }

    static Duration autoBucket(TimeRange range) {
        for (Duration candidate : NICE_BUCKETS) {
            if (range.length().dividedBy(candidate) <= AUTO_BUCKETS) {
                return candidate;
            }
        }
        return NICE_BUCKETS.getLast();
    }

    private static Series series(List<ThroughputPoint> points) {
        int n = points.size();
        List<Long> t = new ArrayList<>(n);
        List<Long> messages = new ArrayList<>(n);
        List<Long> stored = new ArrayList<>(n);
        List<Long> rejected = new ArrayList<>(n);
        List<Long> duplicates = new ArrayList<>(n);
        List<Long> latency = new ArrayList<>(n);
        for (ThroughputPoint p : points) {
            t.add(p.at().toEpochMilli());
            messages.add(p.messages());
            stored.add(p.stored());
            rejected.add(p.rejected());
            duplicates.add(p.duplicates());
            latency.add(p.maxLatency().toMillis());
        }
        return new Series(t, messages, stored, rejected, duplicates, latency);
    }

    private static Totals totals(List<ThroughputPoint> points, TimeRange range) {
        long messages = 0;
        long stored = 0;
        long rejected = 0;
        long duplicates = 0;
        long latency = 0;
        for (ThroughputPoint p : points) {
            messages += p.messages();
            stored += p.stored();
            rejected += p.rejected();
            duplicates += p.duplicates();
            latency = Math.max(latency, p.maxLatency().toMillis());
        }
        double perSecond = stored / (range.length().toMillis() / 1000.0);
        return new Totals(messages, stored, rejected, duplicates, ApiJson.round(perSecond, 2), latency);
    }

    private Counters counters(PipelineCounters c) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            byReason.put(reason.code(), c.rejectsByReason().getOrDefault(reason, 0L));
        }
        List<Position> positions = c.positions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .toList();
        Instant newest = c.newestReading().orElse(null);
        Long freshness = newest == null ? null : Math.max(0, Duration.between(newest, clock.instant()).toMillis());
        List<Gap> gaps = c.recentGaps().stream()
                .map(g -> new Gap(g.partition().topic(), g.partition().partition(), g.fromOffset(), g.toOffset(), g.messages(),
                        g.detectedAt(), g.reason().code(), g.detail()))
                .toList();
        return new Counters(c.messages(), c.stored(), c.rejected(), c.duplicates(), c.customers(), newest, freshness,
                byReason, positions, c.gaps(), c.skippedMessages(), gaps);
    }

    record PartitionView(String topic, int partition, long endOffset, long storedOffset, long lag) {
    }

    record LagView(Instant at, long total, List<PartitionView> partitions) {
    }

    /** {@code GET /api/pipeline/lag}: messages published and not yet stored, per partition. */
    void lag(Context ctx) {
        QueryParams.of(ctx, Set.of());
        List<ConsumerLag.PartitionLag> lags;
        try {
            lags = lag.lag();
        } catch (StoreUnavailableException storeDown) {
            throw storeDown;
        } catch (RuntimeException unavailable) {
            // the lag comes from the broker, not the store: the page shows it as unknown
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                LOG.warn("consumer lag unavailable (answering 503; repeats at debug for a minute): {}", unavailable.toString());
            } else {
                LOG.debug("consumer lag unavailable: {}", unavailable.toString());
            }
            ErrorResponses.send(ctx, 503, "lag_unavailable", null,
                    "the consumer lag cannot be read right now; try again shortly");
            return;
        }
        List<PartitionView> partitions = lags.stream()
                .map(l -> new PartitionView(l.partition().topic(), l.partition().partition(), l.endOffset(),
                        l.storedOffset(), l.lag()))
                .toList();
        long total = partitions.stream().mapToLong(PartitionView::lag).sum();
        ctx.json(new LagView(clock.instant(), total, partitions));
    }
}
