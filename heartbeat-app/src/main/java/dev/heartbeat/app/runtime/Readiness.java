package dev.heartbeat.app.runtime;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Whether this process is ready: started, the store taking the batches of every ingest loop (a
 * consumer whose store is failing is alive but not ready, so an orchestrator routes nothing to it and a
 * dashboard shows it), and no named condition holding (a clock too far from the database's). Each loop reports through an observer of its own, so that one loop committing
 * does not hide another one that is stuck retrying.
 */
public final class Readiness implements BooleanSupplier {

    private final List<LoopHealth> loops = new CopyOnWriteArrayList<>();
    private final Map<String, String> conditions = new ConcurrentSkipListMap<>();
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

    /** Not ready while {@code name} holds, for {@code why} (said by the probe); {@link #clear} ends it. */
    public void notReadyWhile(String name, String why) {
        conditions.put(name, why);
    }

    public void clear(String name) {
        conditions.remove(name);
    }

    @Override
    public boolean getAsBoolean() {
        return started && conditions.isEmpty() && loops.stream().noneMatch(loop -> loop.storeFailing);
    }

    /** Why it is not ready, in words an operator acts on; empty when it is ready. */
    public Optional<String> reason() {
        if (getAsBoolean()) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>(conditions.values());
        if (loops.stream().anyMatch(loop -> loop.storeFailing)) {
            reasons.add("the store is failing");
        }
        if (!started) {
            reasons.add("not started, or stopping");
        }
        return Optional.of(String.join("; ", reasons));
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
