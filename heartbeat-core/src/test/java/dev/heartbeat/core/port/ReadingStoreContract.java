package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.P1;
import static dev.heartbeat.core.port.StoreFixtures.batch;
import static dev.heartbeat.core.port.StoreFixtures.reading;
import static dev.heartbeat.core.port.StoreFixtures.reject;
import static dev.heartbeat.core.port.StoreFixtures.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ReadingStore} promises: batches durable atomically with their positions,
 * stale batches refused whole, duplicates counted and never stored twice, rejects kept. Run by the
 * in-memory store and by the PostgreSQL one.
 */
public abstract class ReadingStoreContract {

    protected ReadingStore store;
    protected ReadingQueries queries;
    protected Instant base;

    /** A store with nothing in it. */
    protected abstract ReadingStore emptyStore();

    /** The queries over {@code store}'s data. */
    protected abstract ReadingQueries queriesOf(ReadingStore store);

    @BeforeEach
    void freshStore() {
        store = emptyStore();
        queries = queriesOf(store);
        base = StoreFixtures.baseTime();
    }

    private List<Reading> everything() {
        TimeRange all = new TimeRange(base.minus(Duration.ofDays(1)), base.plus(Duration.ofDays(1)));
        return queries.readings(new ReadingFilter(Optional.empty(), Set.of(), all), PageRequest.first(1000)).items();
    }

    @Test
    void writesReadingsRejectsAndPositionsInOneCall() {
        List<Reading> readings = series("alice", base, 3, 70);
        RejectedMessage bad = reject(P0, 3, RejectReason.MALFORMED_JSON, "{oops");
        StoreBatch batch = new StoreBatch(readings, List.of(bad), List.of(new PartitionRange(P0, 0, 4)));

        WriteOutcome outcome = store.write(batch);

        assertEquals(new WriteOutcome.Committed(3, 0, 1), outcome);
        assertEquals(Set.copyOf(readings), Set.copyOf(everything()));
        assertEquals(Map.of(P0, 4L), store.positions(List.of(P0, P1)));
        PipelineCounters counters = queries.counters();
        assertEquals(4, counters.messages());
        assertEquals(3, counters.stored());
        assertEquals(1, counters.rejected());
        assertEquals(0, counters.duplicates());
        assertEquals(Map.of(RejectReason.MALFORMED_JSON, 1L), counters.rejectsByReason());
    }

    @Test
    void readingsComeBackExactlyAsWritten() {
        Reading precise = new Reading(CustomerId.of("bob.smith:01_x-y"), base.plusNanos(123_456_000), 250, Activity.EXERCISE);
        Reading lowest = new Reading(CustomerId.of("b"), base.plusSeconds(1), 30, Activity.ANOMALY);
        store.write(batch(P0, 0, List.of(precise, lowest)));
        assertEquals(Set.of(precise, lowest), Set.copyOf(everything()));
    }

    @Test
    void knowsOnlyThePositionsItWasGiven() {
        assertEquals(Map.of(), store.positions(List.of(P0, P1)));
        store.write(batch(P1, 10, series("carol", base, 5, 80)));
        assertEquals(Map.of(P1, 15L), store.positions(List.of(P0, P1)));
        assertEquals(Map.of(), store.positions(List.of(new StreamPartition("other-topic", 1))));
    }

    @Test
    void countsDuplicatesOfTheNaturalKeyInsteadOfStoringThemTwice() {
        List<Reading> first = series("dave", base, 5, 60);
        store.write(batch(P0, 0, first));
        Reading again = first.get(2);
        Reading sameKeyOtherValue = new Reading(again.customerId(), again.recordedAt(), 99, Activity.REST);
        Reading fresh = reading("dave", base.plusSeconds(60), 70);

        WriteOutcome outcome = store.write(batch(P0, 5, List.of(again, fresh, sameKeyOtherValue, fresh)));

        assertEquals(new WriteOutcome.Committed(1, 3, 0), outcome);
        assertEquals(6, everything().size());
        assertTrue(everything().contains(again), "the first version of a key wins");
        PipelineCounters counters = queries.counters();
        assertEquals(9, counters.messages());
        assertEquals(3, counters.duplicates());
        assertEquals(Map.of(P0, 9L), store.positions(List.of(P0)));
    }

    @Test
    void refusesAStaleBatchWholeAndWritesNothingOfIt() {
        store.write(batch(P0, 0, series("erin", base, 10, 70)));
        store.write(batch(P1, 0, series("frank", base, 2, 70)));
        List<Reading> replay = series("gina", base, 3, 70);
        StoreBatch stale = new StoreBatch(replay, List.of(reject(P1, 2, RejectReason.TOO_LARGE, "x")),
                List.of(new PartitionRange(P1, 2, 3), new PartitionRange(P0, 8, 11)));

        WriteOutcome outcome = store.write(stale);

        assertEquals(new WriteOutcome.Stale(P0, 10, 8), outcome);
        assertEquals(12, everything().size());
        assertEquals(Map.of(P0, 10L, P1, 2L), store.positions(List.of(P0, P1)));
        assertEquals(0, queries.counters().rejected());
    }

    @Test
    void acceptsABatchThatStartsAfterTheStoredPosition() {
        store.write(batch(P0, 0, series("hank", base, 2, 70)));
        WriteOutcome outcome = store.write(batch(P0, 50, series("hank", base.plusSeconds(100), 2, 70)));
        assertEquals(new WriteOutcome.Committed(2, 0, 0), outcome);
        assertEquals(Map.of(P0, 52L), store.positions(List.of(P0)));
    }

    @Test
    void keepsRejectsWithTheirPositionReasonAndPayloadCutToTheLimit() {
        byte[] huge = new byte[RejectedMessage.MAX_PAYLOAD_BYTES + 10];
        Arrays.fill(huge, (byte) 'x');
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF};
        Instant received = base.plusMillis(5);
        RejectedMessage large = RejectedMessage.of(P1, 7, RejectReason.TOO_LARGE, "value of 65546 bytes", huge, received);
        RejectedMessage binary = RejectedMessage.of(P1, 8, RejectReason.NOT_UTF8, "byte 0xC3 at 0", notUtf8, received);
        store.write(new StoreBatch(List.of(), List.of(large, binary), List.of(new PartitionRange(P1, 7, 9))));

        Page<StoredReject> page = queries.rejects(new RejectFilter(Optional.empty(),
                new TimeRange(base, base.plusSeconds(1))), PageRequest.first(10));

        assertEquals(2, page.items().size());
        StoredReject newest = page.items().get(0);
        StoredReject older = page.items().get(1);
        assertEquals(8, newest.message().offset());
        assertArrayEquals(notUtf8, newest.message().payload());
        assertEquals(RejectReason.NOT_UTF8, newest.message().reason());
        assertEquals("byte 0xC3 at 0", newest.message().detail());
        assertEquals(P1, newest.message().partition());
        assertEquals(received, newest.message().receivedAt());
        assertEquals(RejectedMessage.MAX_PAYLOAD_BYTES, older.message().payload().length);
        assertEquals(RejectedMessage.MAX_PAYLOAD_BYTES + 10, older.message().payloadSize());
        assertTrue(newest.id() > older.id());
        assertEquals(Map.of(P1, 9L), store.positions(List.of(P1)));
    }

    @Test
    void countsAlwaysAddUpToTheMessagesOfEachBatch() {
        Set<Instant> seenKeys = new HashSet<>();
        long offset = 0;
        for (int round = 0; round < 5; round++) {
            List<Reading> readings = series("ivy", base.plusSeconds(round * 3L), 6, 60);
            List<RejectedMessage> rejects = List.of(reject(P0, offset + 6, RejectReason.UNKNOWN_STATE, "{}"));
            StoreBatch batch = new StoreBatch(readings, rejects, List.of(new PartitionRange(P0, offset, offset + 7)));
            WriteOutcome.Committed committed = assertInstanceOf(WriteOutcome.Committed.class, store.write(batch));
            long expectedNew = readings.stream().filter(r -> seenKeys.add(r.recordedAt())).count();
            assertEquals(7, committed.messages());
            assertEquals(expectedNew, committed.stored());
            offset += 7;
        }
        PipelineCounters counters = queries.counters();
        assertEquals(35, counters.messages());
        assertEquals(counters.messages(), counters.stored() + counters.duplicates() + counters.rejected());
    }

    @Test
    void anEmptyBatchOfReadingsStillAdvancesThePositions() {
        StoreBatch onlyRejects = new StoreBatch(List.of(), List.of(reject(P0, 0, RejectReason.NULL_MESSAGE, "")),
                List.of(new PartitionRange(P0, 0, 1)));
        assertEquals(new WriteOutcome.Committed(0, 0, 1), store.write(onlyRejects));
        assertEquals(Map.of(P0, 1L), store.positions(List.of(P0)));
    }

    @Test
    void aGapIsRecordedWithThePositionThatPassesItAndOnlyWhileThePositionIsItsStart() {
        store.write(batch(P0, 0, series("gina", base, 40, 70)));
        StreamGap gap = new StreamGap(P0, 40, 60, base, StreamGap.Reason.REMOVED_BEFORE_READ, "the log starts at 60");

        assertTrue(store.skip(gap));
        assertEquals(Map.of(P0, 60L), store.positions(List.of(P0)), "the position passes the gap");
        assertTrue(!store.skip(gap), "the position is no longer the gap's start: nothing recorded twice");
        PipelineCounters counters = queries.counters();
        assertEquals(List.of(1L, 20L), List.of(counters.gaps(), counters.skippedMessages()));
        assertEquals(List.of(gap), counters.recentGaps());
        assertEquals(40, counters.messages(), "a gap is no message consumed");
        assertEquals(new WriteOutcome.Committed(5, 0, 0), store.write(batch(P0, 60, series("gina", base.plusSeconds(100), 5, 70))));
    }

    @Test
    void positionsAreBoundToTheirTopicIdAndAReplacedTopicIsRefusedOrForgottenWithAGapEach() {
        String topic = P0.topic();
        assertEquals(new TopicBinding.Bound("id-1"), store.bindTopic(topic, "id-1", false, base), "the first binding");
        store.write(new StoreBatch(List.of(), List.of(), List.of(new PartitionRange(P0, 0, 70), new PartitionRange(P1, 0, 30))));
        assertEquals(new TopicBinding.Bound("id-1"), store.bindTopic(topic, "id-1", true, base), "the same id again");

        assertEquals(new TopicBinding.Mismatch("id-1", "id-2"), store.bindTopic(topic, "id-2", false, base));
        assertEquals(Map.of(P0, 70L, P1, 30L), store.positions(List.of(P0, P1)), "a mismatch changes nothing");
        assertEquals(0, queries.counters().gaps());

        TopicBinding.Replaced replaced = assertInstanceOf(TopicBinding.Replaced.class, store.bindTopic(topic, "id-2", true, base));
        assertEquals(List.of("id-1", "id-2"), List.of(replaced.previousId(), replaced.topicId()));
        assertEquals(List.of(P0, P1), replaced.gaps().stream().map(StreamGap::partition).toList());
        assertEquals(List.of(70L, 30L), replaced.gaps().stream().map(StreamGap::fromOffset).toList());
        assertTrue(replaced.gaps().stream().allMatch(g -> g.reason() == StreamGap.Reason.TOPIC_REPLACED && g.messages() == 0));
        assertEquals(Map.of(), store.positions(List.of(P0, P1)), "the new topic is read from its start");
        assertEquals(Set.copyOf(replaced.gaps()), Set.copyOf(queries.counters().recentGaps()));
        assertEquals(new TopicBinding.Bound("id-2"), store.bindTopic(topic, "id-2", false, base), "bound to the new id");
        assertEquals(new WriteOutcome.Committed(3, 0, 0), store.write(batch(P0, 0, series("hana", base, 3, 70))));
    }
}
