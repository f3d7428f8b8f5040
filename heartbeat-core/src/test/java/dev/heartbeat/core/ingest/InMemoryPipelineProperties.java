package dev.heartbeat.core.ingest;

import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory pipeline (bus, source, ingest loop, store) never loses or duplicates a reading,
 * however its batches are cut, however often the consumer restarts without a clean commit, and
 * however often the store fails a write, whether the loop writes its batches itself or on a writer
 * thread while it polls the next one.
 */
class InMemoryPipelineProperties implements WithQuickTheories {

    /** One consumer's life: its batch size, how many polls it makes before it dies, how many writes fail meanwhile. */
    record Life(int maxBatch, int polls, int failures) {
    }

    @Test
    void pipelineNeverLosesOrDuplicatesAReadingAcrossBatchSplitsAndRestarts() {
        check(false);
    }

    @Test
    void pipelinedWritesNeverLoseOrDuplicateAReadingAcrossBatchSplitsAndRestarts() {
        check(true);
    }

    private void check(boolean writerThread) {
        qt().withExamples(60)
                .forAll(longs().all(), integers().between(1, 400),
                        lists().of(integers().between(1, 50).zip(integers().between(0, 6), integers().between(0, 3), Life::new))
                                .ofSizeBetween(0, 8),
                        integers().between(0, 9))
                .check((seed, count, lives, every) -> {
                    PipelineFixture pipeline = new PipelineFixture();
                    pipeline.publish(seed, 1 + (int) Math.floorMod(seed, 13L), count, every == 0 ? 0 : every + 2, every);
                    for (Life life : lives) {
                        ExecutorService writer = writerThread ? Executors.newSingleThreadExecutor() : null;
                        InMemoryReadingSource source = pipeline.source(life.maxBatch());
                        IngestLoop loop = pipeline.loop(source, IngestObserver.NONE, writer(writer));
                        source.start(pipeline.store);
                        pipeline.faults.failNextWrites(life.failures());
                        for (int i = 0; i < life.polls(); i++) {
                            loop.runOnce();
                        }
                        // the consumer dies here: no clean shutdown, no commit of what it held; a write
                        // in flight lands (or fails) after its loop is gone
                        awaitShutdown(writer);
                    }
                    pipeline.faults.failNextWrites(0);
                    ExecutorService writer = writerThread ? Executors.newSingleThreadExecutor() : null;
                    InMemoryReadingSource last = pipeline.source(64);
                    IngestLoop loop = pipeline.loop(last, IngestObserver.NONE, writer(writer));
                    last.start(pipeline.store);
                    try {
                        while (pipeline.queries.counters().messages() < pipeline.published) {
                            if (loop.runOnce() == 0 && pipeline.queries.counters().messages() < pipeline.published) {
                                return false; // nothing left to read, yet not everything accounted for
                            }
                        }
                    } finally {
                        awaitShutdown(writer);
                    }
                    PipelineCounters counters = pipeline.queries.counters();
                    List<Reading> stored = pipeline.allReadings();
                    return new HashSet<>(stored).equals(pipeline.distinctPublished)
                            && stored.size() == pipeline.distinctPublished.size()
                            && counters.messages() == pipeline.published
                            && counters.stored() + counters.duplicates() + counters.rejected() == counters.messages()
                            && counters.duplicates() == pipeline.duplicatesPublished
                            && counters.rejected() == pipeline.poisonPublished;
                });
    }

    private static Executor writer(ExecutorService writer) {
        return writer == null ? Runnable::run : writer;
    }

    private static void awaitShutdown(ExecutorService writer) {
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a write did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
