package dev.heartbeat.core.query;

import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Totals since the store was created: messages consumed, readings stored, rejects, duplicates, the
 * newest reading's timestamp, rejects by reason, and the stored position of each partition.
 */
public record PipelineCounters(long messages, long stored, long rejected, long duplicates, long customers,
                               Optional<Instant> newestReading, Map<RejectReason, Long> rejectsByReason,
                               Map<StreamPartition, Long> positions) {

    public PipelineCounters {
        Objects.requireNonNull(newestReading, "newestReading");
        rejectsByReason = Map.copyOf(rejectsByReason);
        positions = Map.copyOf(positions);
    }
}
