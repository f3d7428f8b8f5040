package dev.heartbeat.kafka;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one ingest loop committed, in commit order: batches, readings, rejects, stale refusals, and
 * whether any customer's readings were committed out of time order.
 */
final class CommittedLog implements IngestObserver {

    private final List<StoreBatch> batches = new ArrayList<>();
    private final List<RejectedMessage> rejects = new ArrayList<>();
    private final Map<CustomerId, Instant> lastPerCustomer = new HashMap<>();
    private final List<String> orderViolations = new ArrayList<>();
    private long readings;
    private long stale;
    private long storeFailures;

    @Override
    public synchronized void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
        batches.add(batch);
        rejects.addAll(batch.rejects());
        readings += batch.readings().size();
        for (Reading reading : batch.readings()) {
            Instant previous = lastPerCustomer.put(reading.customerId(), reading.recordedAt());
            if (previous != null && !previous.isBefore(reading.recordedAt()) && orderViolations.size() < 10) {
                orderViolations.add(reading.customerId() + ": " + reading.recordedAt() + " after " + previous);
            }
        }
    }

    @Override
    public synchronized void stale(WriteOutcome.Stale outcome) {
        stale++;
    }

    @Override
    public synchronized void storeFailed(RuntimeException cause, int attempt, java.time.Duration retryIn) {
        storeFailures++;
    }

    synchronized long readings() {
        return readings;
    }

    synchronized List<RejectedMessage> rejects() {
        return List.copyOf(rejects);
    }

    synchronized List<StoreBatch> batches() {
        return List.copyOf(batches);
    }

    synchronized List<PartitionRange> ranges() {
        return batches.stream().flatMap(b -> b.ranges().stream()).toList();
    }

    synchronized long staleBatches() {
        return stale;
    }

    synchronized long storeFailures() {
        return storeFailures;
    }

    /** Customers whose readings were committed out of time order (at most ten examples). */
    synchronized List<String> orderViolations() {
        return List.copyOf(orderViolations);
    }
}
