package dev.heartbeat.core.ingest;

import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.query.PipelineCounters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestLoopTest {

    @Test
    void waitsOutAnUnavailableStoreAndThenWritesTheSameBatch() throws Exception {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(1, 5, 500, 0, 0);
        List<String> events = new ArrayList<>();
        IngestObserver observer = new IngestObserver() {
            @Override
            public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
                events.add("failed " + attempt + " retry in " + retryIn.toMillis() + " ms");
            }

            @Override
            public void storeRecovered(int failedAttempts) {
                events.add("recovered after " + failedAttempts);
            }
        };
        InMemoryReadingSource source = pipeline.source(100);
        IngestLoop loop = pipeline.loop(source, observer);
        source.start(pipeline.store);
        pipeline.store.failNextWrites(4);

        assertEquals(100, loop.runOnce());

        assertEquals(List.of("failed 1 retry in 1 ms", "failed 2 retry in 2 ms", "failed 3 retry in 4 ms",
                "failed 4 retry in 4 ms", "recovered after 4"), events);
        assertEquals(100, pipeline.store.counters().stored());
        while (loop.runOnce() > 0) {
            // drain
        }
        assertEquals(500, pipeline.store.counters().stored());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.store.allReadings()));
    }

    @Test
    void aStaleBatchRewindsTheSourceToTheStoredPositions() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(2, 3, 300, 0, 0);
        InMemoryReadingSource successor = pipeline.source(80);
        IngestLoop successorLoop = pipeline.loop(successor, IngestObserver.NONE);
        successor.start(pipeline.store);
        // the zombie polls first, then, before its write lands, the successor stores the same offsets
        boolean[] raced = {false};
        ReadingStore racing = new ReadingStore() {
            @Override
            public WriteOutcome write(StoreBatch batch) {
                if (!raced[0]) {
                    raced[0] = true;
                    successorLoop.runOnce();
                }
                return pipeline.store.write(batch);
            }

            @Override
            public Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
                return pipeline.store.positions(partitions);
            }
        };
        InMemoryReadingSource zombie = pipeline.source(50);
        IngestCounters zombieCounters = new IngestCounters();
        IngestLoop zombieLoop = new IngestLoop(zombie, new Ingest(pipeline.ingestValidator(), racing, pipeline.clock),
                zombieCounters, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), Duration.ofMillis(1));
        zombie.start(racing);

        zombieLoop.runOnce();

        assertEquals(1, zombieCounters.snapshot().staleBatches());
        assertEquals(0, zombieCounters.snapshot().messages());
        while (zombieLoop.runOnce() > 0 | successorLoop.runOnce() > 0) {
            // both consume; the store's fencing keeps them from storing anything twice
        }
        PipelineCounters counters = pipeline.store.counters();
        assertEquals(300, counters.stored());
        assertEquals(0, counters.duplicates());
        assertEquals(300, counters.messages());
    }

    @Test
    void stopEndsTheLoopPromptlyEvenWhileTheStoreIsDown() throws Exception {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(3, 4, 200, 0, 0);
        pipeline.store.failNextWrites(Integer.MAX_VALUE);
        InMemoryReadingSource source = pipeline.source(50);
        IngestLoop loop = new IngestLoop(source, pipeline.ingest, IngestObserver.NONE, Backoff.DEFAULT, Duration.ofMillis(200));
        Thread thread = Thread.ofPlatform().start(loop);
        TimeUnit.MILLISECONDS.sleep(300);

        loop.stop();
        thread.join(2000);

        assertFalse(thread.isAlive());
        assertEquals(0, pipeline.store.counters().messages(), "nothing was written while the store failed");
        assertTrue(pipeline.store.positions(pipeline.bus.partitions()).isEmpty());
    }

    @Test
    void aBadMessageNeverStopsTheLoop() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(4, 2, 100, 0, 1);  // every reading followed by a malformed message
        InMemoryReadingSource source = pipeline.source(30);
        IngestLoop loop = pipeline.loop(source, IngestObserver.NONE);
        source.start(pipeline.store);
        while (loop.runOnce() > 0) {
            // drain
        }
        PipelineCounters counters = pipeline.store.counters();
        assertEquals(100, counters.stored());
        assertEquals(100, counters.rejected());
    }
}
