package dev.heartbeat.app.observability;

import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest loop's Micrometer meters (exported at /metrics in Prometheus format): messages by
 * outcome, readings by band, rejects by reason, batch sizes, end-to-end latency (reading timestamp
 * to commit), stale batches and store failures.
 */
public final class IngestMetrics implements IngestObserver {

    private final Clock clock;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter staleBatches;
    private final Counter storeFailures;
    private final DistributionSummary batchSize;
    private final Timer latency;
    private final Map<AnomalyLevel, Counter> byLevel = new EnumMap<>(AnomalyLevel.class);
    private final Map<RejectReason, Counter> byReason = new EnumMap<>(RejectReason.class);

    public IngestMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.stored = messages(registry, "stored");
        this.duplicates = messages(registry, "duplicate");
        this.rejected = messages(registry, "rejected");
        this.staleBatches = Counter.builder("heartbeat.ingest.stale.batches")
                .description("Batches refused because another consumer had already stored them").register(registry);
        this.storeFailures = Counter.builder("heartbeat.ingest.store.failures")
                .description("Failed attempts to write a batch (retried with back-off)").register(registry);
        this.batchSize = DistributionSummary.builder("heartbeat.ingest.batch.size").baseUnit("messages")
                .description("Messages per committed batch").register(registry);
        this.latency = Timer.builder("heartbeat.ingest.latency")
                .description("End-to-end latency: from a reading's timestamp to the commit of its batch")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        for (AnomalyLevel level : AnomalyLevel.values()) {
            byLevel.put(level, Counter.builder("heartbeat.readings.classified").tag("level", level.wireName())
                    .description("Valid readings by band").register(registry));
        }
        for (RejectReason reason : RejectReason.values()) {
            byReason.put(reason, Counter.builder("heartbeat.rejects").tag("reason", reason.code())
                    .description("Rejected messages by reason").register(registry));
        }
    }

    private static Counter messages(MeterRegistry registry, String outcome) {
        return Counter.builder("heartbeat.ingest.messages").tag("outcome", outcome)
                .description("Consumed messages by outcome: stored, duplicate or rejected").register(registry);
    }

    @Override
    public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
        stored.increment(outcome.stored());
        duplicates.increment(outcome.duplicates());
        rejected.increment(outcome.rejected());
        batchSize.record(outcome.messages());
        long nowMillis = clock.millis();
        for (Reading reading : batch.readings()) {
            byLevel.get(reading.level()).increment();
            // per reading: no Duration allocated
            latency.record(Math.max(0, nowMillis - reading.recordedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
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
}
