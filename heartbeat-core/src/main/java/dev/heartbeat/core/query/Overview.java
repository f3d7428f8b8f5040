package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.AnomalyLevel;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The headline over a range, across all customers: readings, mean heart rate and readings per band,
 * counted over whole minutes (every minute that overlaps the range counts in full, so stores answer
 * from per-minute rollups), and the active customers: those whose latest reading is at or after the
 * range's start.
 */
public record Overview(TimeRange range, long readings, long activeCustomers, double avgHeartRate,
                       Map<AnomalyLevel, Long> byLevel) {

    public Overview {
        Objects.requireNonNull(range, "range");
        Map<AnomalyLevel, Long> all = new EnumMap<>(AnomalyLevel.class);
        for (AnomalyLevel level : AnomalyLevel.values()) {
            all.put(level, byLevel == null ? 0L : byLevel.getOrDefault(level, 0L));
        }
        byLevel = Map.copyOf(all);
    }

    public long criticalReadings() {
        return byLevel.get(AnomalyLevel.CRITICAL_LOW) + byLevel.get(AnomalyLevel.CRITICAL_HIGH);
    }
}
