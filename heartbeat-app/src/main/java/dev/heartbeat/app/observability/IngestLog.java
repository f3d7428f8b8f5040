package dev.heartbeat.app.observability;

import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Logs what an operator must know about the ingest loop, without flooding: the first store failure
 * of an outage and then one line per minute of it, the recovery, and stale batches.
 */
public final class IngestLog implements IngestObserver {

    private static final Logger log = LoggerFactory.getLogger("dev.heartbeat.ingest");
    private static final long QUIET_NANOS = Duration.ofMinutes(1).toNanos();

    private volatile long lastLoggedFailure; // the ingest threads share this log

    @Override
    public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
        long now = System.nanoTime();
        if (attempt == 1 || now - lastLoggedFailure >= QUIET_NANOS) {
            lastLoggedFailure = now;
            log.warn("Store unavailable (attempt {}): {}. Consumption paused; the same batch is retried in {} ms.",
                    attempt, cause.getMessage(), retryIn.toMillis());
        }
    }

    @Override
    public void storeRecovered(int failedAttempts) {
        log.info("Store available again after {} failed attempts; consumption resumed.", failedAttempts);
    }

    @Override
    public void stale(WriteOutcome.Stale outcome) {
        log.info("Batch refused as stale: {} is stored up to offset {} but the batch started at {}; rewinding to the stored positions.",
                outcome.partition(), outcome.storedNextOffset(), outcome.batchFromOffset());
    }
}
