package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same irregular data -- bursts, long quiet stretches, late readings, rare bands, replays -- written to
 * PostgreSQL (summarized now and then, so answers mix summaries and unsummarized readings) and to core's
 * in-memory store, which defines the answers: every feed, page by page, and the other queries agree.
 */
class PostgresMatchesInMemoryTest {

    private static PostgresDatabase database;
    private static PostgresReadingQueries postgres;
    private static InMemoryDatabase memoryDatabase;
    private static ReadingQueries memory;
    private static Instant now;

    @BeforeAll
    static void writeTheSameData() {
        database = TestDatabases.open("matches_memory");
        PostgresReadingStore store = new PostgresReadingStore(database);
        PostgresSummarizer summarizer = new PostgresSummarizer(database);
        postgres = new PostgresReadingQueries(database);
        memoryDatabase = new InMemoryDatabase(Clock.systemUTC());
        memory = memoryDatabase.queries();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SplittableRandom random = new SplittableRandom(2024);
        List<Reading> readings = new ArrayList<>();
        // bursts: 40 customers within a second, every 7 minutes for 10 hours, a gap of 3 hours in the middle
        for (int burst = 0; burst < 86; burst++) {
            if (burst >= 30 && burst < 56) {
                continue;
            }
            Instant at = now.minus(Duration.ofMinutes(7L * burst)).minusSeconds(20);
            for (int c = 0; c < 40; c++) {
                int bpm = random.nextInt(100) < 3 ? (random.nextBoolean() ? 35 : 220) : 45 + random.nextInt(140);
                readings.add(new Reading(CustomerId.of("m" + c), at.plusMillis(c * 20L + random.nextInt(10)), bpm, Activity.NORMAL));
            }
        }
        // a lone reading two days back, and one rare high reading among normal ones an hour back
        readings.add(new Reading(CustomerId.of("m1"), now.minus(Duration.ofDays(2)), 180, Activity.EXERCISE));
        readings.add(new Reading(CustomerId.of("loner"), now.minus(Duration.ofHours(1)).plusMillis(3), 190, Activity.EXERCISE));
        long offset = 0;
        int batches = 0;
        for (int from = 0; from < readings.size(); from += 97) {
            List<Reading> part = new ArrayList<>(readings.subList(from, Math.min(readings.size(), from + 97)));
            if (from > 0 && random.nextInt(4) == 0) {
                part.add(readings.get(random.nextInt(from))); // a replayed reading
            }
            StoreBatch batch = new StoreBatch(part, List.of(), List.of(new PartitionRange(StoreFixtures.P0, offset, offset + part.size())));
            offset += part.size();
            assertEquals(memoryDatabase.store().write(batch), store.write(batch));
            if (++batches % 3 == 0) {
                summarizer.summarize();
            }
        }
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void everyFeedPagesThroughTheSameReadings() {
        TimeRange wide = new TimeRange(now.minus(Duration.ofDays(3)), now.plusSeconds(60));
        List<ReadingFilter> filters = List.of(
                new ReadingFilter(Optional.empty(), Set.of(), wide),
                ReadingFilter.nonNormal(wide),
                ReadingFilter.critical(wide),
                new ReadingFilter(Optional.empty(), EnumSet.of(AnomalyLevel.HIGH), wide),
                new ReadingFilter(Optional.empty(), EnumSet.of(AnomalyLevel.LOW, AnomalyLevel.NORMAL),
                        new TimeRange(now.minus(Duration.ofHours(5)), now.minus(Duration.ofHours(1)))),
                new ReadingFilter(Optional.of(CustomerId.of("m7")), Set.of(), wide));
        for (ReadingFilter filter : filters) {
            for (int limit : new int[] {1, 13, 50}) {
                assertEquals(allPages(memory, filter, limit), allPages(postgres, filter, limit), filter + " by " + limit);
            }
        }
    }

    private static List<List<Reading>> allPages(ReadingQueries queries, ReadingFilter filter, int limit) {
        List<List<Reading>> pages = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            Page<Reading> page = queries.readings(filter, new PageRequest(limit, after));
            pages.add(page.items());
            after = page.next();
        } while (after.isPresent() && pages.size() < 5000);
        return pages;
    }

    @Test
    void theOtherQueriesAgreeToo() {
        for (LatestOrder order : LatestOrder.values()) {
            LatestQuery query = new LatestQuery(Set.of(), "", order, 25, 5);
            assertEquals(memory.latest(query), postgres.latest(query), order.toString());
        }
        CustomerId customer = CustomerId.of("m3");
        for (Duration length : List.of(Duration.ofMinutes(15), Duration.ofHours(2), Duration.ofHours(12), Duration.ofDays(3))) {
            TimeRange range = new TimeRange(now.minus(length), now.plusSeconds(1));
            assertEquals(memory.history(customer, range, 40), postgres.history(customer, range, 40), "history " + length);
            assertEquals(memory.bands(customer, range), postgres.bands(customer, range), "bands " + length);
            assertEquals(memory.overview(range), postgres.overview(range), "overview " + length);
            var expected = memory.stats(customer, range).orElseThrow();
            var actual = postgres.stats(customer, range).orElseThrow();
            assertEquals(expected.count(), actual.count(), "stats " + length);
            assertEquals(expected.avg(), actual.avg(), 1e-9);
            assertEquals(expected.stddev(), actual.stddev(), 1e-6);
            assertEquals(expected.last(), actual.last());
        }
        var counters = postgres.counters();
        assertEquals(memory.counters().stored(), counters.stored());
        assertEquals(memory.counters().duplicates(), counters.duplicates());
        assertEquals(memory.counters().customers(), counters.customers());
        assertEquals(memory.counters().newestReading(), counters.newestReading());
    }
}
