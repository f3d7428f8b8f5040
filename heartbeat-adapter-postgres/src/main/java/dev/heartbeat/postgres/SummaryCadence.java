package dev.heartbeat.postgres;

import java.time.Duration;

/** When the writer should summarize: after an interval, or after so many written readings. */
final class SummaryCadence {

    private final long intervalNanos;
    private final int rows;
    private long rowsSince;
    private long lastNanos = System.nanoTime();

    SummaryCadence(Duration interval, int rows) {
        this.intervalNanos = interval.toNanos();
        this.rows = rows;
    }

    /** Counts {@code written} readings; true (and starts over) when a summary is due. */
    synchronized boolean due(int written) {
        rowsSince += written;
        long now = System.nanoTime();
        if (rowsSince > 0 && (rowsSince >= rows || now - lastNanos >= intervalNanos)) {
            rowsSince = 0;
            lastNanos = now;
            return true;
        }
        return false;
    }
}
