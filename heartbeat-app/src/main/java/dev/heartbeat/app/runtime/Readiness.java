package dev.heartbeat.app.runtime;

import dev.heartbeat.core.ingest.StoreBatch;
import dev.heartbeat.core.ingest.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether this process is ready: started, and its store taking batches (a consumer whose store is
 * failing is alive but not ready, so an orchestrator routes nothing to it and a dashboard shows it).
 */
public final class Readiness implements IngestObserver, BooleanSupplier {

    private volatile boolean started;
    private volatile boolean storeFailing;

    public void started() {
        started = true;
    }

    public void stopping() {
        started = false;
    }

    @Override
    public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
        storeFailing = false;
    }

    @Override
    public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
        storeFailing = true;
    }

    @Override
    public void storeRecovered(int failedAttempts) {
        storeFailing = false;
    }

    @Override
    public boolean getAsBoolean() {
        return started && !storeFailing;
    }
}
