package dev.heartbeat.core.port;

import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.heartbeat.core.port.StreamFixtures.batches;
import static dev.heartbeat.core.port.StreamFixtures.nextBatch;
import static dev.heartbeat.core.port.StreamFixtures.nothingStored;
import static dev.heartbeat.core.port.StreamFixtures.positions;
import static dev.heartbeat.core.port.StreamFixtures.publishAll;
import static dev.heartbeat.core.port.StreamFixtures.readings;
import static dev.heartbeat.core.port.StreamFixtures.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ReadingSource} promises its ingest loop: it starts from the positions the store gives
 * (the beginning where there is none), returns {@link SourceBatch#EMPTY} when there is nothing, delivers each
 * partition in offset order without gaps or repeats with ranges that cover exactly each batch, re-reads from
 * the store's positions in a new generation after a rewind, delivers nothing while paused or while the store
 * cannot tell its positions, and lets {@link ReadingSource#wakeup()} end a blocked poll. Run by the in-memory
 * source and by the Kafka one, each on a stream of its adapter.
 */
public abstract class ReadingSourceContract {

    /** A new, empty stream of {@code partitions} partitions for this test alone. */
    protected abstract TestStream stream(int partitions);

    /** The stream with {@code readings} published to it. */
    private TestStream streamWith(int partitions, List<Reading> readings) {
        TestStream stream = stream(partitions);
        try (ReadingPublisher publisher = stream.publisher()) {
            publishAll(publisher, readings);
        }
        return stream;
    }

    /** The next offset of each partition that has messages, from reading every message of the stream once. */
    private static Map<StreamPartition, Long> logEnds(TestStream stream, int messages) {
        Map<StreamPartition, Long> ends = new TreeMap<>();
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            for (SourceRecord record : records(batches(source, messages))) {
                ends.merge(record.partition(), record.offset() + 1, Math::max);
            }
        }
        return ends;
    }

    @Test
    void withNoStoredPositionEveryPartitionIsReadFromItsBeginningAndEachMessageIsThePublishedReading() {
        List<Reading> published = readings(30, 10);
        TestStream stream = streamWith(3, published);
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            List<SourceBatch> batches = batches(source, published.size());
            Map<StreamPartition, Long> firstOffsets = new HashMap<>();
            for (SourceBatch batch : batches) {
                batch.ranges().forEach(range -> firstOffsets.putIfAbsent(range.partition(), range.fromOffset()));
            }
            assertEquals(Set.copyOf(stream.partitions()), firstOffsets.keySet(), "30 customers reach every partition");
            firstOffsets.forEach((partition, from) -> assertEquals(0L, from, partition + " from its beginning"));
            List<Reading> delivered = StreamFixtures.readings(records(batches));
            assertEquals(published.size(), delivered.size(), "every message once");
            assertEquals(new HashSet<>(published), new HashSet<>(delivered), "each message validates to the reading published");
        }
    }

    @Test
    void startsAtTheStoredPositionsAndWherePositionsAreAbsentAtTheBeginning() {
        List<Reading> published = readings(30, 10);
        TestStream stream = streamWith(3, published);
        Map<StreamPartition, Long> ends = logEnds(stream, published.size());
        List<StreamPartition> partitions = stream.partitions();
        assertEquals(Set.copyOf(partitions), ends.keySet(), "30 customers reach every partition");
        StreamPartition halfRead = partitions.get(0);
        StreamPartition allRead = partitions.get(1);
        StreamPartition unknown = partitions.get(2);
        Map<StreamPartition, Long> stored = Map.of(halfRead, ends.get(halfRead) / 2, allRead, ends.get(allRead));

        try (ReadingSource source = stream.source()) {
            source.start(positions(stored));
            long expected = ends.get(halfRead) - ends.get(halfRead) / 2 + ends.get(unknown);
            List<SourceRecord> records = records(batches(source, (int) expected));
            Map<StreamPartition, Long> first = new HashMap<>();
            records.forEach(r -> first.putIfAbsent(r.partition(), r.offset()));
            assertEquals(Map.of(halfRead, ends.get(halfRead) / 2, unknown, 0L), first,
                    "the stored position of a known partition, the beginning of an unknown one, nothing of one read to its end");
            assertEquals(expected, records.size());
            assertEquals(SourceBatch.EMPTY, source.poll(Duration.ofMillis(500)), "nothing before the stored positions");
        }
    }

    @Test
    void aPollWithNothingToReadReturnsTheEmptyBatch() {
        TestStream stream = stream(1);
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            for (int i = 0; i < 3; i++) {
                assertEquals(SourceBatch.EMPTY, source.poll(Duration.ofMillis(200)), "an empty stream");
            }
            try (ReadingPublisher publisher = stream.publisher()) {
                publishAll(publisher, readings(1, 1));
            }
            assertEquals(1, nextBatch(source).size());
            assertEquals(SourceBatch.EMPTY, source.poll(Duration.ofMillis(200)), "everything read");
        }
    }

    @Test
    void eachPartitionComesInOffsetOrderWithoutGapsOrRepeatsAndEachBatchsRangesCoverExactlyItsRecords() {
        List<Reading> published = readings(40, 15);
        TestStream stream = streamWith(3, published);
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            List<SourceBatch> batches = batches(source, published.size());
            assertTrue(batches.size() > 1, "batches of at most " + StreamFixtures.MAX_BATCH + " messages");
            Map<StreamPartition, Long> next = new HashMap<>();
            for (SourceBatch batch : batches) {
                Map<StreamPartition, PartitionRange> covered = new LinkedHashMap<>();
                for (SourceRecord record : batch.records()) {
                    long expected = covered.containsKey(record.partition())
                            ? covered.get(record.partition()).nextOffset() : next.getOrDefault(record.partition(), 0L);
                    assertEquals(expected, record.offset(), () -> record.partition() + ": the offset after the last one delivered");
                    long from = covered.containsKey(record.partition()) ? covered.get(record.partition()).fromOffset() : record.offset();
                    covered.put(record.partition(), new PartitionRange(record.partition(), from, record.offset() + 1));
                }
                assertEquals(Set.copyOf(covered.values()), Set.copyOf(batch.ranges()), "one range per partition in the batch, covering its records");
                assertEquals(covered.size(), batch.ranges().size());
                covered.forEach((partition, range) -> next.put(partition, range.nextOffset()));
            }
            assertEquals(published.size(), next.values().stream().mapToLong(Long::longValue).sum(), "every message once");
            assertEquals(SourceBatch.EMPTY, source.poll(Duration.ofMillis(500)), "and no more");
        }
    }

    @Test
    void aRewindReadsAgainFromTheStoredPositionsInANewGeneration() {
        List<Reading> published = readings(20, 10);
        TestStream stream = streamWith(2, published);
        Map<StreamPartition, Long> stored = new ConcurrentHashMap<>();
        try (ReadingSource source = stream.source()) {
            source.start(positions(stored));
            SourceBatch committed = nextBatch(source);
            committed.ranges().forEach(range -> stored.put(range.partition(), range.nextOffset()));
            source.committed(committed);
            SourceBatch forgotten = nextBatch(source);
            assertEquals(committed.generation(), forgotten.generation(), "polling on keeps the generation");

            source.rewind();
            List<SourceBatch> again = batches(source, published.size() - committed.size());
            Map<StreamPartition, Long> first = new HashMap<>();
            records(again).forEach(r -> first.putIfAbsent(r.partition(), r.offset()));
            first.forEach((partition, offset) -> assertEquals(stored.getOrDefault(partition, 0L), offset,
                    () -> partition + " again from the stored position"));
            assertEquals(forgotten.records().getFirst().offset(), again.stream().flatMap(b -> b.records().stream())
                    .filter(r -> r.partition().equals(forgotten.records().getFirst().partition()))
                    .findFirst().orElseThrow().offset(), "what was fetched and not committed comes again");
            for (SourceBatch batch : again) {
                assertNotEquals(committed.generation(), batch.generation(), "a new generation after the rewind");
                assertEquals(again.getFirst().generation(), batch.generation(), "one generation until the next change");
            }
            assertEquals(SourceBatch.EMPTY, source.poll(Duration.ofMillis(500)), "and nothing a second time");
        }
    }

    @Test
    void aPausedSourceDeliversNothingAndOnResumeGoesOnWhereItStoppedInTheSameGeneration() {
        List<Reading> published = readings(5, 40);
        TestStream stream = streamWith(1, published);
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            SourceBatch before = nextBatch(source);
            source.pause();
            for (int i = 0; i < 3; i++) {
                assertTrue(source.poll(Duration.ofMillis(300)).isEmpty(), "a paused source delivers nothing");
            }
            source.resume();
            SourceBatch after = nextBatch(source);
            assertEquals(before.ranges().getFirst().nextOffset(), after.ranges().getFirst().fromOffset(),
                    "resume goes on where it stopped");
            assertEquals(before.generation(), after.generation(), "pause and resume keep the generation");
        }
    }

    @Test
    void whileTheStoreCannotTellItsPositionsNothingIsDeliveredAndOnceItCanReadingStartsFromThem() {
        List<Reading> published = readings(5, 20);
        TestStream stream = streamWith(1, published);
        StreamPartition partition = stream.partitions().getFirst();
        AtomicBoolean available = new AtomicBoolean(false);
        StreamPositions stored = positions(Map.of(partition, 30L));
        try (ReadingSource source = stream.source()) {
            source.start(StreamFixtures.askingFirst(stored, () -> {
                if (!available.get()) {
                    throw new StoreUnavailableException("the store is down");
                }
            }));
            for (int i = 0; i < 3; i++) {
                assertTrue(source.poll(Duration.ofMillis(300)).isEmpty(), "nothing while the positions are unknown");
            }
            available.set(true);
            List<SourceRecord> records = records(batches(source, published.size() - 30));
            assertEquals(30, records.getFirst().offset(), "from the stored position once the store answers");
            assertEquals(published.size() - 30, records.size());
        }
    }

    @Test
    void wakeupMakesABlockedPollReturnPromptly() throws Exception {
        TestStream stream = stream(1);
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            CompletableFuture<SourceBatch> polled = CompletableFuture.supplyAsync(() -> source.poll(Duration.ofSeconds(60)));
            Thread.sleep(1_000);
            long start = System.nanoTime();
            source.wakeup();
            SourceBatch batch = polled.get(10, TimeUnit.SECONDS);
            assertTrue(batch.isEmpty());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "poll returned promptly after wakeup");
        }
    }
}
