package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.AnomalyLevel;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Readings per band over a range, and the time spent in each band, both over whole minutes (every
 * minute that overlaps the range counts in full, so stores answer from per-minute rollups). Each
 * minute that has readings is shared among the bands in proportion to its readings; a minute
 * without readings counts for no band.
 */
public record BandBreakdown(Map<AnomalyLevel, Long> counts, Map<AnomalyLevel, Duration> time) {

    public BandBreakdown {
        counts = complete(counts, 0L);
        time = complete(time, Duration.ZERO);
    }

    private static <V> Map<AnomalyLevel, V> complete(Map<AnomalyLevel, V> given, V zero) {
        Map<AnomalyLevel, V> all = new EnumMap<>(AnomalyLevel.class);
        for (AnomalyLevel level : AnomalyLevel.values()) {
            all.put(level, given == null ? zero : given.getOrDefault(level, zero));
        }
        return Map.copyOf(all);
    }

    /** A minute's share of time for {@code count} of its {@code total} readings, to the millisecond. */
    public static Duration minuteShare(long count, long total) {
        return Duration.ofMillis(Math.round(60_000.0 * count / total));
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
