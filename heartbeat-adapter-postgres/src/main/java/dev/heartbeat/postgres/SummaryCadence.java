package dev.heartbeat.postgres;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When the writer should summarize: after so many written readings, or after an interval, but by
 * time never sooner than {@link #REST_FACTOR} times the last summary's duration after it ended. A
 * summary costs mostly per active customer, little per reading (10,000 customers: 0.2-0.4 s of one core
 * for one to eight new readings each, 0.5-0.6 s for forty), so while a consumer catches up at full speed
 * the rest keeps summaries to about a fifth of one core instead of a whole one; at live rates they stay
 * a second apart.
 */
final class SummaryCadence {

    static final int REST_FACTOR = 4;

    private final long intervalNanos;
    private final int rows;
    private final LongSupplier nanoTime;
    private long rowsSince;
    private long lastNanos;
    private long restedAtNanos;

    SummaryCadence(Duration interval, int rows) {
        this(interval, rows, System::nanoTime);
    }

    SummaryCadence(Duration interval, int rows, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.rows = rows;
        this.nanoTime = nanoTime;
        this.lastNanos = nanoTime.getAsLong();
        this.restedAtNanos = lastNanos;
    }

    /** Counts {@code written} readings; true (and starts over) when a summary is due. */
    synchronized boolean due(int written) {
        rowsSince += written;
        long now = nanoTime.getAsLong();
        boolean byTime = now - lastNanos >= intervalNanos && now - restedAtNanos >= 0;
        if (rowsSince > 0 && (rowsSince >= rows || byTime)) {
            rowsSince = 0;
            lastNanos = now;
            return true;
        }
        return false;
    }

    /** A summary just ended after {@code took}: the next one by time rests {@link #REST_FACTOR} times as long. */
    synchronized void ran(Duration took) {
        restedAtNanos = nanoTime.getAsLong() + REST_FACTOR * took.toNanos();
    }
}
