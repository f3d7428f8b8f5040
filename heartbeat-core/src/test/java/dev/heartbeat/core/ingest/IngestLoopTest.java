package dev.heartbeat.core.ingest;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.StreamPositions;
import dev.heartbeat.core.query.PipelineCounters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        pipeline.faults.failNextWrites(4);

        assertEquals(100, loop.runOnce());

        assertEquals(List.of("failed 1 retry in 1 ms", "failed 2 retry in 2 ms", "failed 3 retry in 4 ms",
                "failed 4 retry in 4 ms", "recovered after 4"), events);
        assertEquals(100, pipeline.queries.counters().stored());
        while (loop.runOnce() > 0) {
            // drain
        }
        assertEquals(500, pipeline.queries.counters().stored());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.allReadings()));
    }

    @Test
    void aStoreThatRefusesForAReasonWaitingCannotFixEndsTheLoopAfterAFewAttemptsAndLosesNothing() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(1, 5, 300, 0, 0);
        AtomicInteger refusals = new AtomicInteger();
        ReadingStore revoked = beforeEachWrite(pipeline.store, write -> {
            if (write <= 4) {
                refusals.incrementAndGet();
                throw new dev.heartbeat.core.HeartbeatException("PostgreSQL failed while writing a batch: permission denied "
                        + "for table heartbeat_records [SQLSTATE 42501]");
            }
        });
        List<String> events = new ArrayList<>();
        IngestObserver observer = new IngestObserver() {
            @Override
            public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
                events.add("failed " + attempt);
            }
        };
        InMemoryReadingSource source = pipeline.source(100);
        IngestLoop loop = new IngestLoop(source, new Ingest(pipeline.ingestValidator(), revoked, pipeline.clock), observer,
                new dev.heartbeat.core.Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), Duration.ofMillis(10));
        IngestStoppedException stopped = assertThrows(IngestStoppedException.class, loop::run);
        assertEquals(IngestLoop.PERMANENT_ATTEMPTS, refusals.get(), "three attempts, then it stops");
        assertEquals(List.of("failed 1", "failed 2"), events);
        assertTrue(stopped.getMessage().contains("permission denied for table heartbeat_records [SQLSTATE 42501]"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("the batch was not committed"), stopped.getMessage());
        assertEquals(0, pipeline.queries.counters().stored(), "nothing half-written");

        // the cause fixed (the grant back), a new loop reads it all: nothing lost, nothing twice
        InMemoryReadingSource restarted = pipeline.source(100);
        IngestLoop again = pipeline.loop(restarted, IngestObserver.NONE);
        restarted.start(pipeline.store);
        while (again.runOnce() > 0) {
            // drain
        }
        assertEquals(300, pipeline.queries.counters().stored());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.allReadings()));
    }

    @Test
    void aStoreUnavailableForLongIsWaitedForHoweverManyAttemptsItTakes() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(1, 5, 100, 0, 0);
        InMemoryReadingSource source = pipeline.source(100);
        IngestLoop loop = pipeline.loop(source, IngestObserver.NONE);
        source.start(pipeline.store);
        pipeline.faults.failNextWrites(IngestLoop.PERMANENT_ATTEMPTS * 4);
        assertEquals(100, loop.runOnce());
        assertEquals(100, pipeline.queries.counters().stored());
    }

    @Test
    void aStaleBatchRewindsTheSourceToTheStoredPositions() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(2, 3, 300, 0, 0);
        InMemoryReadingSource successor = pipeline.source(80);
        IngestLoop successorLoop = pipeline.loop(successor, IngestObserver.NONE);
        successor.start(pipeline.store);
        // the zombie polls first, then, before its write lands, the successor stores the same offsets
        ReadingStore racing = beforeEachWrite(pipeline.store, write -> {
            if (write == 1) {
                successorLoop.runOnce();
            }
        });
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
        PipelineCounters counters = pipeline.queries.counters();
        assertEquals(300, counters.stored());
        assertEquals(0, counters.duplicates());
        assertEquals(300, counters.messages());
    }

    @Test
    void stopEndsTheLoopPromptlyEvenWhileTheStoreIsDown() throws Exception {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(3, 4, 200, 0, 0);
        pipeline.faults.failNextWrites(Integer.MAX_VALUE);
        InMemoryReadingSource source = pipeline.source(50);
        IngestLoop loop = new IngestLoop(source, pipeline.ingest, IngestObserver.NONE, Backoff.DEFAULT, Duration.ofMillis(200));
        Thread thread = Thread.ofPlatform().start(loop);
        TimeUnit.MILLISECONDS.sleep(300);

        loop.stop();
        thread.join(2000);

        assertFalse(thread.isAlive());
        assertEquals(0, pipeline.queries.counters().messages(), "nothing was written while the store failed");
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
        PipelineCounters counters = pipeline.queries.counters();
        assertEquals(100, counters.stored());
        assertEquals(100, counters.rejected());
    }

    @Test
    void withAWriterThreadItPollsAndPreparesTheNextBatchWhileTheStoreWritesOne() throws Exception {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(5, 4, 300, 0, 0);
        CountDownLatch secondPoll = new CountDownLatch(1);
        List<Boolean> overlapped = new ArrayList<>();
        ReadingStore slow = beforeEachWrite(pipeline.store, write -> {
            if (write == 1) {
                overlapped.add(awaited(secondPoll));
            }
        });
        ReadingSource counted = countingDownAtSecondPoll(pipeline.source(100), secondPoll);
        IngestCounters counters = new IngestCounters();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            IngestLoop loop = new IngestLoop(counted, new Ingest(pipeline.ingestValidator(), slow, pipeline.clock), counters,
                    new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), Duration.ofMillis(1), writer);
            counted.start(slow);

            assertEquals(100, loop.runOnce(), "the first batch is handed to the writer");
            assertEquals(100, loop.runOnce(), "the second is polled and prepared while the first is written");
            while (loop.runOnce() > 0) {
                // drain
            }
        } finally {
            writer.shutdown();
        }

        assertEquals(List.of(true), overlapped, "the first write saw the second poll while it was in progress");
        assertEquals(300, pipeline.queries.counters().stored());
        assertEquals(3, counters.snapshot().batches());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.allReadings()));
    }

    @Test
    void withAWriterThreadAFailingWriteIsRetriedBeforeThePreparedNextBatch() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(6, 5, 400, 0, 0);
        List<String> events = new ArrayList<>();
        IngestObserver observer = new IngestObserver() {
            @Override
            public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
                events.add("committed " + outcome.stored());
            }

            @Override
            public void storeFailed(RuntimeException cause, int attempt, Duration retryIn) {
                events.add("failed " + attempt);
            }

            @Override
            public void storeRecovered(int failedAttempts) {
                events.add("recovered after " + failedAttempts);
            }
        };
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            InMemoryReadingSource source = pipeline.source(100);
            IngestLoop loop = pipeline.loop(source, observer, writer);
            source.start(pipeline.store);
            pipeline.faults.failNextWrites(2);
            while (loop.runOnce() > 0) {
                // drain
            }
        } finally {
            writer.shutdown();
        }

        assertEquals(List.of("failed 1", "failed 2", "recovered after 2", "committed 100", "committed 100",
                "committed 100", "committed 100"), events);
        assertEquals(400, pipeline.queries.counters().stored());
        assertEquals(0, pipeline.queries.counters().duplicates());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.allReadings()));
    }

    @Test
    void withAWriterThreadAStaleBatchInFlightTakesThePreparedNextOneWithIt() throws Exception {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(7, 3, 300, 0, 0);
        InMemoryReadingSource successor = pipeline.source(80);
        IngestLoop successorLoop = pipeline.loop(successor, IngestObserver.NONE);
        successor.start(pipeline.store);
        CountDownLatch secondPoll = new CountDownLatch(1);
        ReadingStore racing = beforeEachWrite(pipeline.store, write -> {
            if (write == 1) {
                successorLoop.runOnce();
                assertTrue(awaited(secondPoll), "the zombie polled again while it wrote");
            }
        });
        ReadingSource zombie = countingDownAtSecondPoll(pipeline.source(50), secondPoll);
        IngestCounters zombieCounters = new IngestCounters();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            IngestLoop zombieLoop = new IngestLoop(zombie, new Ingest(pipeline.ingestValidator(), racing, pipeline.clock),
                    zombieCounters, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), Duration.ofMillis(1), writer);
            zombie.start(racing);

            zombieLoop.runOnce(); // its first batch goes to the writer, where the successor gets in first
            zombieLoop.runOnce(); // its second batch is prepared, then the first comes back stale

            assertEquals(1, zombieCounters.snapshot().staleBatches());
            assertEquals(0, zombieCounters.snapshot().messages(), "neither batch was written");
            while (zombieLoop.runOnce() > 0 | successorLoop.runOnce() > 0) {
                // both consume; the store's fencing keeps them from storing anything twice
            }
        } finally {
            writer.shutdown();
        }
        PipelineCounters counters = pipeline.queries.counters();
        assertEquals(300, counters.stored());
        assertEquals(0, counters.duplicates());
        assertEquals(300, counters.messages());
    }

    @Test
    void aWriterThatRefusesWorkLosesNothing() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(8, 3, 200, 0, 0);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        writer.shutdown(); // as when a stop outwaited a slow write and the writer was shut down
        InMemoryReadingSource source = pipeline.source(50);
        IngestLoop loop = pipeline.loop(source, IngestObserver.NONE, writer);
        source.start(pipeline.store);

        while (loop.runOnce() > 0) {
            // each batch is written on the loop's thread instead
        }

        assertEquals(200, pipeline.queries.counters().stored());
        assertEquals(new HashSet<>(pipeline.distinctPublished), new HashSet<>(pipeline.allReadings()));
    }

    @Test
    void aSourceFailingWhileABatchIsWrittenLetsTheWriteEndBeforeItCloses() {
        PipelineFixture pipeline = new PipelineFixture();
        pipeline.publish(9, 3, 200, 0, 0);
        List<Long> storedAtClose = new ArrayList<>();
        ReadingStore slow = beforeEachWrite(pipeline.store, write -> sleep(Duration.ofMillis(200)));
        AtomicInteger polls = new AtomicInteger();
        ReadingSource failing = new Delegating(pipeline.source(100)) {
            @Override
            public SourceBatch poll(Duration timeout) {
                if (polls.incrementAndGet() == 2) {
                    throw new IllegalStateException("the log is gone");
                }
                return super.poll(timeout);
            }

            @Override
            public void close() {
                storedAtClose.add(pipeline.queries.counters().stored());
                super.close();
            }
        };
        IngestCounters counters = new IngestCounters();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            IngestLoop loop = new IngestLoop(failing, new Ingest(pipeline.ingestValidator(), slow, pipeline.clock), counters,
                    new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), Duration.ofMillis(1), writer);

            IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, loop::run);

            assertEquals("the log is gone", thrown.getMessage());
        } finally {
            writer.shutdown();
        }
        assertEquals(List.of(100L), storedAtClose, "the write in flight ended before the source closed");
        assertEquals(1, counters.snapshot().batches(), "and was counted");
        assertEquals(100, pipeline.queries.counters().stored());
    }

    /** {@code store}, doing {@code before} ahead of each write (given the write's number, from 1). */
    private static ReadingStore beforeEachWrite(ReadingStore store, IntConsumer before) {
        AtomicInteger writes = new AtomicInteger();
        return new ReadingStore() {
            @Override
            public WriteOutcome write(StoreBatch batch) {
                before.accept(writes.incrementAndGet());
                return store.write(batch);
            }

            @Override
            public Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
                return store.positions(partitions);
            }

            @Override
            public boolean skip(dev.heartbeat.core.stream.StreamGap gap) {
                return store.skip(gap);
            }

            @Override
            public dev.heartbeat.core.stream.TopicBinding bindTopic(String topic, String topicId, boolean replace,
                                                                     java.time.Instant now) {
                return store.bindTopic(topic, topicId, replace, now);
            }
        };
    }

    /** {@code source}, counting {@code latch} down once it has been polled twice. */
    private static ReadingSource countingDownAtSecondPoll(ReadingSource source, CountDownLatch latch) {
        AtomicInteger polls = new AtomicInteger();
        return new Delegating(source) {
            @Override
            public SourceBatch poll(Duration timeout) {
                SourceBatch batch = super.poll(timeout);
                if (polls.incrementAndGet() == 2) {
                    latch.countDown();
                }
                return batch;
            }
        };
    }

    /** Whether {@code latch} reached zero within 5 s. */
    private static boolean awaited(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A source that does what another does, for tests that watch it. */
    private static class Delegating implements ReadingSource {

        private final ReadingSource delegate;

        Delegating(ReadingSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(StreamPositions positions) {
            delegate.start(positions);
        }

        @Override
        public SourceBatch poll(Duration timeout) {
            return delegate.poll(timeout);
        }

        @Override
        public void committed(SourceBatch batch) {
            delegate.committed(batch);
        }

        @Override
        public void pause() {
            delegate.pause();
        }

        @Override
        public void resume() {
            delegate.resume();
        }

        @Override
        public void rewind() {
            delegate.rewind();
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
