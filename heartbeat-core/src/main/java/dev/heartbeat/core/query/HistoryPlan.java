package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;

import java.time.Duration;
import java.util.List;

/**
 * How a history over a range is drawn, the same in every store: every reading for short ranges,
 * buckets of raw readings up to {@link #RAW_BUCKETS_UP_TO}, buckets of per-minute rollups beyond.
 * Buckets have a "nice" length, the smallest that keeps the chart within {@code maxPoints}, and
 * start at multiples of their length since the epoch (UTC). Rollup buckets cover whole minutes: the
 * minutes a range only partly overlaps count in full.
 */
public record HistoryPlan(Source source, Duration bucket) {

    public static final Duration RAW_POINTS_UP_TO = Duration.ofMinutes(15);
    public static final Duration RAW_BUCKETS_UP_TO = Duration.ofHours(6);

    private static final List<Duration> NICE = List.of(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));

    public enum Source {
        /** Every reading as a point. */
        RAW,
        /** Buckets computed from the readings. */
        RAW_BUCKETS,
        /** Buckets computed from per-minute rollups. */
        MINUTE_ROLLUPS
    }

    public static HistoryPlan of(TimeRange range, int maxPoints) {
        if (maxPoints < 10) {
            throw new InvalidValueException("a history needs at least 10 points, got " + maxPoints);
        }
        Duration length = range.length();
        if (length.compareTo(RAW_POINTS_UP_TO) <= 0) {
            return new HistoryPlan(Source.RAW, Duration.ZERO);
        }
        Duration wanted = length.dividedBy(maxPoints);
        if (length.compareTo(RAW_BUCKETS_UP_TO) <= 0) {
            return new HistoryPlan(Source.RAW_BUCKETS, nice(wanted));
        }
        Duration bucket = nice(wanted);
        return new HistoryPlan(Source.MINUTE_ROLLUPS, bucket.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : bucket);
    }

    private static Duration nice(Duration wanted) {
        for (Duration candidate : NICE) {
            if (candidate.compareTo(wanted) >= 0) {
                return candidate;
            }
        }
        return NICE.getLast();
    }
}
