package dev.heartbeat.core.query;

import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Totals since the store was created: messages consumed, readings stored, rejects, duplicates, the
 * newest reading's timestamp, rejects by reason, the stored position of each partition, and the gaps:
 * how many, the messages they skipped, and the {@value #RECENT_GAPS} most recent, newest first.
 */
public record PipelineCounters(long messages, long stored, long rejected, long duplicates, long customers,
                               Optional<Instant> newestReading, Map<RejectReason, Long> rejectsByReason,
                               Map<StreamPartition, Long> positions, long gaps, long skippedMessages,
                               List<StreamGap> recentGaps) {

    /** How many of the most recent gaps the counters list. */
    public static final int RECENT_GAPS = 20;

    public PipelineCounters {
        Objects.requireNonNull(newestReading, "newestReading");
        rejectsByReason = Map.copyOf(rejectsByReason);
        positions = Map.copyOf(positions);
        recentGaps = List.copyOf(recentGaps);
    }
}
