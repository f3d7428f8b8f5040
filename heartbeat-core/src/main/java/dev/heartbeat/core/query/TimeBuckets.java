package dev.heartbeat.core.query;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Time arithmetic shared by every store, so that all of them bucket time the same way. */
public final class TimeBuckets {

    private TimeBuckets() {
    }

    /** The start of the {@code bucket}-long interval, counted from the epoch (UTC), that holds {@code at}. */
    public static Instant floor(Instant at, Duration bucket) {
        long size = bucket.toNanos();
        long nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        return Instant.EPOCH.plusNanos(Math.floorDiv(nanos, size) * size);
    }

    /** The range widened to whole minutes: every minute that overlaps it. */
    public static TimeRange wholeMinutes(TimeRange range) {
        Instant from = range.from().truncatedTo(ChronoUnit.MINUTES);
        Instant lastMinute = range.to().minusNanos(1).truncatedTo(ChronoUnit.MINUTES);
        return new TimeRange(from, lastMinute.plus(1, ChronoUnit.MINUTES));
    }
}
