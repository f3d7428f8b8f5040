package dev.heartbeat.core.ingest;

import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of what the ingest loop committed; cheap, thread-safe, read from any thread. */
public final class IngestCounters implements IngestObserver {

    private final LongAdder messages = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder staleBatches = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final Map<AnomalyLevel, LongAdder> byLevel = new EnumMap<>(AnomalyLevel.class);
    private final Map<RejectReason, LongAdder> byReason = new EnumMap<>(RejectReason.class);

    public IngestCounters() {
        for (AnomalyLevel level : AnomalyLevel.values()) {
            byLevel.put(level, new LongAdder());
        }
        for (RejectReason reason : RejectReason.values()) {
            byReason.put(reason, new LongAdder());
        }
    }

    @Override
    public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
        messages.add(outcome.messages());
        stored.add(outcome.stored());
        duplicates.add(outcome.duplicates());
        rejected.add(outcome.rejected());
        batches.increment();
        for (Reading reading : batch.readings()) {
            byLevel.get(reading.level()).increment();
        }
        for (RejectedMessage reject : batch.rejects()) {
            byReason.get(reject.reason()).increment();
        }
    }

    @Override
    public void stale(WriteOutcome.Stale outcome) {
        staleBatches.increment();
    }

    @Override
    public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
        storeFailures.increment();
    }

    public Snapshot snapshot() {
        Map<AnomalyLevel, Long> levels = new EnumMap<>(AnomalyLevel.class);
        byLevel.forEach((level, count) -> levels.put(level, count.sum()));
        Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);
        byReason.forEach((reason, count) -> {
            long sum = count.sum();
            if (sum > 0) {
                reasons.put(reason, sum);
            }
        });
        return new Snapshot(messages.sum(), stored.sum(), duplicates.sum(), rejected.sum(), batches.sum(),
                staleBatches.sum(), storeFailures.sum(), Map.copyOf(levels), Map.copyOf(reasons));
    }

    /**
     * Totals at one moment. {@code byLevel} counts the valid readings of committed batches by band
     * (duplicates included: they were classified too).
     */
    public record Snapshot(long messages, long stored, long duplicates, long rejected, long batches,
                           long staleBatches, long storeFailures, Map<AnomalyLevel, Long> byLevel,
                           Map<RejectReason, Long> byReason) {
    }
}
