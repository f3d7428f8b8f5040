package dev.heartbeat.core.query;

import java.time.Duration;
import java.time.Instant;

/**
 * What the pipeline committed in one time bucket starting at {@code at}: messages consumed, readings
 * stored, rejects and duplicates, and the worst end-to-end latency (commit time minus the oldest
 * reading's timestamp in a batch).
 */
public record ThroughputPoint(Instant at, long messages, long stored, long rejected, long duplicates,
                              Duration maxLatency) {
}
