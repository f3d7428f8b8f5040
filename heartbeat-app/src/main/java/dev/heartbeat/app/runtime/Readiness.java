package dev.heartbeat.app.runtime;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Whether this process is ready: started, and the store taking the batches of every ingest loop (a
 * consumer whose store is failing is alive but not ready, so an orchestrator routes nothing to it and a
 * dashboard shows it). Each loop reports through an observer of its own, so that one loop committing
 * does not hide another one that is stuck retrying.
 */
public final class Readiness implements BooleanSupplier {

    private final List<LoopHealth> loops = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    public void started() {
        started = true;
    }

    public void stopping() {
        started = false;
    }

    /** A new observer for one ingest loop: the process is not ready while that loop's store writes fail. */
    public IngestObserver loop() {
        LoopHealth health = new LoopHealth();
        loops.add(health);
        return health;
    }

    @Override
    public boolean getAsBoolean() {
        return started && loops.stream().noneMatch(loop -> loop.storeFailing);
    }

    private static final class LoopHealth implements IngestObserver {

        private volatile boolean storeFailing;

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
    }
}
