package dev.heartbeat.core.query;

import java.time.Instant;

/**
 * One point of a customer's history: a single reading ({@code count == 1}, min = max = avg) or a
 * time bucket starting at {@code at} with the lowest, highest and mean heart rate in it, so no
 * peak is ever averaged away.
 */
public record HistoryPoint(Instant at, int min, int max, double avg, long count) {
}
