package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPlan;
import dev.heartbeat.core.query.HistoryPoint;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestPage;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Overview;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.ThroughputPoint;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.query.WrittenSince;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.P1;
import static dev.heartbeat.core.port.StoreFixtures.reading;
import static dev.heartbeat.core.port.StoreFixtures.reject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ReadingQueries} answers, on a fixture with known answers. Run by the in-memory
 * store and by the PostgreSQL one.
 *
 * <pre>
 * amy  120 readings, one a second from base: 70 bpm, but 250 at +50 s and 35 at +51 s
 * ben   30 readings, one a second from base + 10 min: 45 bpm
 * cat    1 reading at base + 2 h: 180 bpm
 * dan  840 readings, one every 30 s from base - 5 h: 80 bpm, but 210 at base - 3 h + 30 s
 * </pre>
 */
public abstract class ReadingQueriesContract {

    protected ReadingStore store;
    protected ReadingQueries queries;
    protected Instant base;
    protected List<Reading> amy;
    protected List<Reading> dan;
    private int messages;

    /** A store with nothing in it. */
    protected abstract ReadingStore emptyStore();

    /** The queries over {@code store}'s data. */
    protected abstract ReadingQueries queriesOf(ReadingStore store);

    @BeforeEach
    void fixture() {
        store = emptyStore();
        queries = queriesOf(store);
        base = StoreFixtures.baseTime();
        amy = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            amy.add(reading("amy", base.plusSeconds(i), i == 50 ? 250 : i == 51 ? 35 : 70));
        }
        List<Reading> ben = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ben.add(reading("ben", base.plusSeconds(600 + i), 45));
        }
        dan = new ArrayList<>();
        Instant danStart = base.minus(Duration.ofHours(5));
        for (int i = 0; i < 840; i++) {
            dan.add(reading("dan", danStart.plusSeconds(30L * i), i == 240 + 1 ? 210 : 80));
        }
        write(P0, 0, amy);
        write(P0, 120, ben);
        write(P1, 0, List.of(reading("cat", base.plus(Duration.ofHours(2)), 180)));
        write(P1, 1, dan.subList(0, 400));
        write(P1, 401, dan.subList(400, 840));
        messages = 120 + 30 + 1 + 840;
    }

    private void write(StreamPartition partition, long from, List<Reading> readings) {
        store.write(StoreFixtures.batch(partition, from, readings));
    }

    private static CustomerId id(String value) {
        return CustomerId.of(value);
    }

    @Test
    void whatWasWrittenSinceACursorIsEachCustomersLatestAndEveryReadingIsInOneAnswer() {
        WrittenSince start = queries.writtenSince(Optional.empty());
        assertEquals(List.of(), start.latest(), "no cursor: nothing but a cursor for now");
        assertEquals(List.of(), queries.writtenSince(Optional.of(start.cursor())).latest(), "nothing written since");

        Reading eve1 = reading("eve", base.plusSeconds(1), 71);
        Reading eve2 = reading("eve", base.plusSeconds(2), 72);
        Reading fay = reading("fay", base.plusSeconds(1), 90);
        write(P1, 841, List.of(eve1, fay, eve2));
        WrittenSince first = queries.writtenSince(Optional.of(start.cursor()));
        assertEquals(Set.of(eve2, fay), Set.copyOf(first.latest()), "each customer's latest among those written");
        assertEquals(List.of(), queries.writtenSince(Optional.of(first.cursor())).latest());

        Reading eve3 = reading("eve", base.plusSeconds(3), 73);
        write(P1, 844, List.of(eve3, eve1)); // eve1 again: a duplicate, not written
        WrittenSince second = queries.writtenSince(Optional.of(first.cursor()));
        assertEquals(List.of(eve3), second.latest());
        assertEquals(Set.of(eve3, fay), Set.copyOf(queries.writtenSince(Optional.of(start.cursor())).latest()),
                "an older cursor sees everything since it");
    }

    @Test
    void latestReadingOfEachCustomerFilteredSortedAndPaged() {
        LatestPage all = queries.latest(LatestQuery.all(10));
        assertEquals(4, all.matching());
        assertEquals(List.of(amy.getLast(), reading("ben", base.plusSeconds(629), 45),
                reading("cat", base.plus(Duration.ofHours(2)), 180), dan.getLast()), all.readings());

        assertEquals(List.of("ben"), ids(queries.latest(new LatestQuery(Set.of(AnomalyLevel.LOW), "", LatestOrder.CUSTOMER, 10, 0))));
        LatestPage withA = queries.latest(new LatestQuery(Set.of(), "A", LatestOrder.CUSTOMER, 10, 0));
        assertEquals(List.of("amy", "cat", "dan"), ids(withA));
        assertEquals(3, withA.matching());
        assertEquals(List.of("cat", "dan", "amy", "ben"), ids(queries.latest(new LatestQuery(Set.of(), "", LatestOrder.HEART_RATE_DESC, 10, 0))));
        assertEquals(List.of("ben", "amy", "dan", "cat"), ids(queries.latest(new LatestQuery(Set.of(), "", LatestOrder.HEART_RATE_ASC, 10, 0))));
        assertEquals(List.of("cat", "ben", "amy", "dan"), ids(queries.latest(new LatestQuery(Set.of(), "", LatestOrder.SEVERITY, 10, 0))));
        assertEquals(List.of("cat", "dan", "ben", "amy"), ids(queries.latest(new LatestQuery(Set.of(), "", LatestOrder.RECENT, 10, 0))));
        LatestPage paged = queries.latest(new LatestQuery(Set.of(), "", LatestOrder.CUSTOMER, 2, 1));
        assertEquals(List.of("ben", "cat"), ids(paged));
        assertEquals(4, paged.matching());
    }

    private static List<String> ids(LatestPage page) {
        return page.readings().stream().map(r -> r.customerId().value()).toList();
    }

    @Test
    void latestReadingOfOneCustomer() {
        assertEquals(Optional.of(amy.getLast()), queries.latest(id("amy")));
        assertEquals(Optional.empty(), queries.latest(id("nobody")));
    }

    @Test
    void shortHistoryHasEveryReading() {
        History history = queries.history(id("amy"), new TimeRange(base, base.plus(Duration.ofMinutes(10))), 100);
        assertEquals(HistoryPlan.Source.RAW, history.plan().source());
        assertEquals(120, history.points().size());
        HistoryPoint peak = history.points().get(50);
        assertEquals(new HistoryPoint(base.plusSeconds(50), 250, 250, 250.0, 1), peak);
        assertEquals(35, history.points().get(51).min());
    }

    @Test
    void bucketedHistoryKeepsThePeaksAndTroughs() {
        History history = queries.history(id("amy"), new TimeRange(base, base.plus(Duration.ofHours(1))), 100);
        assertEquals(new HistoryPlan(HistoryPlan.Source.RAW_BUCKETS, Duration.ofMinutes(1)), history.plan());
        assertEquals(2, history.points().size());
        HistoryPoint first = history.points().get(0);
        assertEquals(base, first.at());
        assertEquals(35, first.min());
        assertEquals(250, first.max());
        assertEquals(60, first.count());
        assertEquals((58 * 70 + 250 + 35) / 60.0, first.avg(), 1e-9);
        assertEquals(new HistoryPoint(base.plusSeconds(60), 70, 70, 70.0, 60), history.points().get(1));
    }

    @Test
    void longHistoryComesFromRollupsAndStillShowsThePeak() {
        Instant from = base.minus(Duration.ofHours(5));
        History history = queries.history(id("dan"), new TimeRange(from, base.plus(Duration.ofHours(2))), 100);
        assertEquals(new HistoryPlan(HistoryPlan.Source.MINUTE_ROLLUPS, Duration.ofMinutes(5)), history.plan());
        assertEquals(84, history.points().size());
        assertEquals(from, history.points().getFirst().at());
        List<HistoryPoint> peaks = history.points().stream().filter(p -> p.max() == 210).toList();
        assertEquals(1, peaks.size());
        assertEquals(base.minus(Duration.ofHours(3)), peaks.getFirst().at());
        assertTrue(history.points().stream().allMatch(p -> p.min() == 80 && p.count() == 10));
    }

    @Test
    void statisticsOfACustomerOverARange() {
        CustomerStats stats = queries.stats(id("amy"), new TimeRange(base, base.plusSeconds(120))).orElseThrow();
        double mean = (118 * 70 + 250 + 35) / 120.0;
        double variance = (118 * 70.0 * 70 + 250.0 * 250 + 35.0 * 35) / 120 - mean * mean;
        assertEquals(120, stats.count());
        assertEquals(mean, stats.avg(), 1e-9);
        assertEquals(35, stats.min());
        assertEquals(250, stats.max());
        assertEquals(Math.sqrt(variance), stats.stddev(), 1e-6);
        assertEquals(2, stats.criticalCount());
        assertEquals(amy.getLast(), stats.last());

        CustomerStats part = queries.stats(id("amy"), new TimeRange(base.plusSeconds(51), base.plusSeconds(53))).orElseThrow();
        assertEquals(2, part.count());
        assertEquals(35, part.min());
        assertEquals(70, part.max());
        assertEquals(amy.get(52), part.last());
        assertEquals(Optional.empty(), queries.stats(id("amy"), new TimeRange(base.minusSeconds(10), base)));
    }

    @Test
    void readingsAndTimePerBandOverWholeMinutes() {
        BandBreakdown bands = queries.bands(id("amy"), new TimeRange(base.plusSeconds(30), base.plusSeconds(90)));
        assertEquals(118L, bands.counts().get(AnomalyLevel.NORMAL));
        assertEquals(1L, bands.counts().get(AnomalyLevel.CRITICAL_HIGH));
        assertEquals(1L, bands.counts().get(AnomalyLevel.CRITICAL_LOW));
        assertEquals(0L, bands.counts().get(AnomalyLevel.HIGH));
        assertEquals(Duration.ofSeconds(118), bands.time().get(AnomalyLevel.NORMAL));
        assertEquals(Duration.ofSeconds(1), bands.time().get(AnomalyLevel.CRITICAL_HIGH));
        assertEquals(Duration.ofSeconds(1), bands.time().get(AnomalyLevel.CRITICAL_LOW));
        assertEquals(120, bands.total());
    }

    @Test
    void headlineAcrossAllCustomers() {
        Overview overview = queries.overview(new TimeRange(base, base.plus(Duration.ofHours(3))));
        long danInside = dan.stream().filter(r -> !r.recordedAt().isBefore(base)).count();
        assertEquals(240, danInside);
        assertEquals(120 + 30 + 1 + danInside, overview.readings());
        assertEquals(4, overview.activeCustomers());
        double sum = 118 * 70 + 250 + 35 + 30 * 45 + 180 + danInside * 80;
        assertEquals(sum / overview.readings(), overview.avgHeartRate(), 1e-9);
        assertEquals(2, overview.criticalReadings());
        assertEquals(30L, overview.byLevel().get(AnomalyLevel.LOW));
        assertEquals(1L, overview.byLevel().get(AnomalyLevel.HIGH));
        assertEquals(118L + danInside, overview.byLevel().get(AnomalyLevel.NORMAL));

        Overview later = queries.overview(new TimeRange(base.plus(Duration.ofHours(1)), base.plus(Duration.ofHours(3))));
        assertEquals(2, later.activeCustomers());
        Overview empty = queries.overview(new TimeRange(base.plus(Duration.ofDays(2)), base.plus(Duration.ofDays(3))));
        assertEquals(0, empty.readings());
        assertEquals(0, empty.activeCustomers());
        assertEquals(0.0, empty.avgHeartRate());
    }

    @Test
    void criticalFeedIsNewestFirst() {
        TimeRange wide = new TimeRange(base.minus(Duration.ofDays(1)), base.plus(Duration.ofDays(1)));
        Page<Reading> critical = queries.readings(ReadingFilter.critical(wide), PageRequest.first(10));
        assertEquals(List.of(amy.get(51), amy.get(50), dan.get(241)), critical.items());
        assertEquals(Optional.empty(), critical.next());

        Page<Reading> nonNormal = queries.readings(ReadingFilter.nonNormal(wide), PageRequest.first(100));
        assertEquals(1 + 30 + 2 + 1, nonNormal.items().size());
        Page<Reading> bensLow = queries.readings(new ReadingFilter(Optional.of(id("ben")), EnumSet.of(AnomalyLevel.LOW),
                new TimeRange(base.plusSeconds(610), base.plusSeconds(615))), PageRequest.first(100));
        assertEquals(5, bensLow.items().size());
    }

    @Test
    void pagingThroughAFeedReturnsEveryItemOnceInOrder() {
        TimeRange wide = new TimeRange(base.minus(Duration.ofDays(1)), base.plus(Duration.ofDays(1)));
        ReadingFilter everyone = new ReadingFilter(Optional.empty(), Set.of(), wide);
        List<Reading> collected = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        int pages = 0;
        do {
            Page<Reading> page = queries.readings(everyone, new PageRequest(97, after));
            collected.addAll(page.items());
            after = page.next();
            pages++;
        } while (after.isPresent() && pages < 100);
        assertEquals(messages, collected.size());
        assertEquals(messages, new HashSet<>(collected).size());
        List<Reading> expected = new ArrayList<>(collected);
        expected.sort(Comparator.comparing(Reading::recordedAt).thenComparing(Reading::customerId).reversed());
        assertEquals(expected, collected);
        assertEquals(11, pages);
    }

    @Test
    void rejectsFeedFiltersByReasonAndPages() {
        List<RejectedMessage> rejects = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rejects.add(reject(P0, 200 + i, i % 5 == 0 ? RejectReason.BAD_TIMESTAMP : RejectReason.MALFORMED_JSON, "bad " + i));
        }
        store.write(new StoreBatch(List.of(), rejects, List.of(new PartitionRange(P0, 200, 225))));
        TimeRange now = TimeRange.last(Duration.ofHours(1), Clock.systemUTC());

        Page<StoredReject> badTimes = queries.rejects(new RejectFilter(Optional.of(RejectReason.BAD_TIMESTAMP), now),
                PageRequest.first(100));
        assertEquals(5, badTimes.items().size());
        assertTrue(badTimes.items().stream().allMatch(r -> r.message().reason() == RejectReason.BAD_TIMESTAMP));

        List<Long> offsets = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            Page<StoredReject> page = queries.rejects(new RejectFilter(Optional.empty(), now), new PageRequest(10, after));
            page.items().forEach(r -> offsets.add(r.message().offset()));
            after = page.next();
        } while (after.isPresent());
        assertEquals(25, offsets.size());
        assertEquals(25, new HashSet<>(offsets).size());
        assertEquals(224L, offsets.getFirst(), "newest (last stored) first");
    }

    @Test
    void throughputAddsUpToWhatWasWritten() {
        TimeRange around = TimeRange.last(Duration.ofHours(1), Clock.systemUTC());
        List<ThroughputPoint> points = queries.throughput(new TimeRange(around.from(), around.to().plusSeconds(60)),
                Duration.ofMinutes(1));
        assertEquals(messages, points.stream().mapToLong(ThroughputPoint::messages).sum());
        assertEquals(messages, points.stream().mapToLong(ThroughputPoint::stored).sum());
        assertTrue(points.size() >= 60 && points.size() <= 62, "one point a minute: " + points.size());
        assertTrue(points.stream().allMatch(p -> !p.maxLatency().isNegative()));
    }

    @Test
    void countersSinceTheBeginning() {
        PipelineCounters counters = queries.counters();
        assertEquals(messages, counters.messages());
        assertEquals(messages, counters.stored());
        assertEquals(4, counters.customers());
        assertEquals(Optional.of(base.plus(Duration.ofHours(2))), counters.newestReading());
        assertEquals(Map.of(P0, 150L, P1, 841L), counters.positions());
    }
}
