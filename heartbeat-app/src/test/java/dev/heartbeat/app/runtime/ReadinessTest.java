package dev.heartbeat.app.runtime;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.IngestObserver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessTest {

    private static final StoreBatch BATCH = new StoreBatch(List.of(), List.of(), List.of());
    private static final RuntimeException DOWN = new IllegalStateException("database down");

    @Test
    void readyOnceStartedAndUntilStopping() {
        Readiness readiness = new Readiness();
        readiness.loop();
        assertFalse(readiness.getAsBoolean(), "not before start");
        readiness.started();
        assertTrue(readiness.getAsBoolean());
        readiness.stopping();
        assertFalse(readiness.getAsBoolean());
    }

    @Test
    void oneLoopCommittingDoesNotHideAnotherWhoseStoreFails() {
        Readiness readiness = new Readiness();
        IngestObserver stuck = readiness.loop();
        IngestObserver healthy = readiness.loop();
        readiness.started();

        stuck.storeFailed(DOWN, 1, Duration.ofSeconds(1));
        healthy.committed(BATCH, new WriteOutcome.Committed(1, 0, 0));
        assertFalse(readiness.getAsBoolean(), "a loop retrying its batch keeps the process unready");

        stuck.storeRecovered(1);
        assertTrue(readiness.getAsBoolean());

        healthy.storeFailed(DOWN, 1, Duration.ofSeconds(1));
        assertFalse(readiness.getAsBoolean());
        healthy.committed(BATCH, new WriteOutcome.Committed(1, 0, 0));
        assertTrue(readiness.getAsBoolean());
    }
}
