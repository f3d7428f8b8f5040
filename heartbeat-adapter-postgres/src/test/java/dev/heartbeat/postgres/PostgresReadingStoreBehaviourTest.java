package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the PostgreSQL store does beyond the port's contract: partitions on demand, racing writers, summaries. */
class PostgresReadingStoreBehaviourTest {

    private static PostgresDatabase database;
    private PostgresReadingStore store;
    private PostgresReadingQueries queries;
    private Instant base;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("store_behaviour", settings -> settings.withSummaries(Duration.ofDays(1), 100));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void empty() {
        TestDatabases.truncate(database);
        store = new PostgresReadingStore(database);
        queries = new PostgresReadingQueries(database);
        base = StoreFixtures.baseTime();
    }

    @Test
    void lateDataInsideTheRetentionLandsInADailyPartitionCreatedOnDemand() {
        Instant late = base.minus(Duration.ofDays(20));
        LocalDate day = LocalDate.ofInstant(late, ZoneOffset.UTC);
        assertTrue(!partitionDays().contains(day));
        List<Reading> readings = series("lena", late, 5, 70);
        assertEquals(new WriteOutcome.Committed(5, 0, 0), store.write(StoreFixtures.batch(P0, 0, readings)));
        assertTrue(partitionDays().contains(day));
        assertEquals(Optional.of(readings.getLast()), queries.latest(readings.getLast().customerId()));
    }

    private List<LocalDate> partitionDays() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT heartbeat_partition_days()").mapTo(LocalDate.class).list());
    }

    @Test
    void twoWritersRacingForTheSameRangeStoreItOnce() throws Exception {
        PostgresReadingStore other = new PostgresReadingStore(database);
        for (int round = 0; round < 8; round++) {
            StreamPartition partition = new StreamPartition(StoreFixtures.TOPIC, 10 + round);
            StoreBatch batch = StoreFixtures.batch(partition, 0, series("race" + round, base, 200, 70));
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<WriteOutcome> first = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> store.write(batch)));
            CompletableFuture<WriteOutcome> second = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> other.write(batch)));
            List<WriteOutcome> outcomes = List.of(first.get(), second.get());
            long committed = outcomes.stream().filter(WriteOutcome.Committed.class::isInstance).count();
            assertEquals(1, committed, "round " + round + ": " + outcomes);
            WriteOutcome.Stale stale = (WriteOutcome.Stale) outcomes.stream().filter(WriteOutcome.Stale.class::isInstance)
                    .findFirst().orElseThrow();
            assertEquals(new WriteOutcome.Stale(partition, 200, 0), stale);
        }
        PipelineCounters counters = queries.counters();
        assertEquals(8 * 200, counters.stored());
        assertEquals(0, counters.duplicates());
    }

    private static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> action) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return action.get();
    }

    @Test
    void theWriterSummarizesAfterTheConfiguredNumberOfReadings() {
        store.write(StoreFixtures.batch(P0, 0, series("sam", base, 60, 70)));
        assertEquals(0L, summarizedRows(), "60 readings: not yet");
        store.write(StoreFixtures.batch(P0, 60, series("sam", base.plusSeconds(60), 60, 70)));
        assertEquals(120L, summarizedRows(), "120 readings: summarized");
        assertEquals(0, new PostgresSummarizer(database).summarize());
    }

    @Test
    void aSummaryHandedToAnExecutorLeavesTheWriterFreeAndRunsOneAtATime() {
        List<Runnable> handedOver = new java.util.ArrayList<>();
        PostgresReadingStore background = new PostgresReadingStore(database, new PostgresSummarizer(database), handedOver::add);
        background.write(StoreFixtures.batch(P0, 0, series("sam", base, 120, 70)));
        assertEquals(1, handedOver.size(), "the due summary went to the executor");
        assertEquals(0L, summarizedRows(), "and did not run on the writing thread");
        background.write(StoreFixtures.batch(P0, 120, series("sam", base.plusSeconds(120), 120, 70)));
        assertEquals(1, handedOver.size(), "no second summary while one is in flight");
        handedOver.getFirst().run();
        assertEquals(240L, summarizedRows());
        background.write(StoreFixtures.batch(P0, 240, series("sam", base.plusSeconds(240), 120, 70)));
        assertEquals(2, handedOver.size(), "the next due summary goes out once the first is done");
    }

    private long summarizedRows() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT summarized_rows FROM summary_state").mapTo(Long.class).one());
    }

    @Test
    void aBatchWithoutSourcePositionsIsStoredAndCounted() {
        StoreBatch batch = new StoreBatch(series("ned", base, 3, 70), List.of(), List.of());
        assertEquals(new WriteOutcome.Committed(3, 0, 0), store.write(batch));
        assertEquals(new WriteOutcome.Committed(0, 3, 0), store.write(batch));
        PipelineCounters counters = queries.counters();
        assertEquals(6, counters.messages());
        assertEquals(3, counters.stored());
        assertEquals(3, counters.duplicates());
        assertEquals(Map.of(), counters.positions());
    }

    @Test
    void aRejectWhoseDetailHoldsANulCharacterIsKept() {
        RejectedMessage reject = RejectedMessage.of(P0, 0, RejectReason.MALFORMED_JSON, "bad\0byte",
                "{\u0000}".getBytes(StandardCharsets.UTF_8), base);
        store.write(new StoreBatch(List.of(), List.of(reject), List.of(new PartitionRange(P0, 0, 1))));
        RejectedMessage stored = queries.rejects(new RejectFilter(Optional.empty(), new TimeRange(base, base.plusSeconds(1))),
                PageRequest.first(10)).items().getFirst().message();
        assertEquals("bad\uFFFDbyte", stored.detail(), "PostgreSQL text cannot hold NUL");
        assertEquals("{\u0000}", new String(stored.payload(), StandardCharsets.UTF_8), "the raw bytes are kept as they came");
    }

    @Test
    void aLargeBatchWithSomeReadingsStoredAlreadyCountsEveryDuplicate() {
        List<Reading> first = series("uma", base, 3000, 60);
        store.write(StoreFixtures.batch(P0, 0, first));
        List<Reading> replay = new ArrayList<>(first.subList(1500, 3000));
        replay.addAll(series("uma", base.plusSeconds(3000), 1000, 60));
        replay.add(replay.getLast());
        assertEquals(new WriteOutcome.Committed(1000, 1501, 0), store.write(StoreFixtures.batch(P0, 3000, replay)));
        assertEquals(4000L, (long) database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heartbeat_records").mapTo(Long.class).one()));
        assertEquals(base.plusSeconds(3999).truncatedTo(ChronoUnit.MICROS),
                queries.latest(first.getFirst().customerId()).orElseThrow().recordedAt());
    }
}
