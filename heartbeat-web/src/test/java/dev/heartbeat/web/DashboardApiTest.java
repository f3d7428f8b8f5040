package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPlan;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestPage;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Overview;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.ThroughputPoint;
import dev.heartbeat.core.query.TimeBuckets;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every read endpoint against a dashboard over a store filled through the real ingest path: each
 * answer must match what the store holds (asked directly with the same range), and the paging,
 * filtering and peak-keeping promises must hold.
 */
class DashboardApiTest {

    private static DashboardFixture fixture;
    private static ApiClient api;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.filled();
        api = fixture.api;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static TimeRange last(Duration length) {
        return TimeRange.last(length, fixture.clock);
    }

    private static List<Reading> latestPerCustomer() {
        return fixture.pipeline.database.allReadings().stream()
                .collect(Collectors.toMap(Reading::customerId, Function.identity(),
                        (a, b) -> a.recordedAt().isAfter(b.recordedAt()) ? a : b))
                .values().stream().toList();
    }

    @Test
    void theFixtureStoredEverythingItPublished() {
        PipelineCounters counters = fixture.pipeline.queries.counters();
        assertEquals(fixture.published, counters.messages());
        assertEquals(4, counters.rejected());
        assertEquals(1, counters.duplicates());
    }

    @Test
    void overviewMatchesTheStoreAndReportsTheRateOverTheCountedMinutes() {
        JsonNode o = api.ok("/api/overview?range=15m");
        Overview expected = fixture.pipeline.queries.overview(last(Duration.ofMinutes(15)));
        assertEquals(expected.readings(), o.get("readings").asLong());
        assertEquals(expected.activeCustomers(), o.get("activeCustomers").asLong());
        assertEquals(CUSTOMERS_PLUS_PEAK, o.get("activeCustomers").asLong());
        assertEquals(expected.avgHeartRate(), o.get("avgHeartRate").asDouble(), 0.05);
        assertEquals(expected.criticalReadings(), o.get("criticalReadings").asLong());
        for (AnomalyLevel level : AnomalyLevel.values()) {
            assertEquals(expected.byLevel().get(level), o.get("byLevel").get(level.wireName()).asLong(), level.wireName());
        }
        // whole minutes from 11:45 up to now (12:00:30): 15.5 minutes of 21 readings per second
        TimeRange counted = TimeBuckets.wholeMinutes(last(Duration.ofMinutes(15)));
        assertEquals(counted.from().toString(), o.get("countedFrom").asText());
        double seconds = Duration.between(counted.from(), DashboardFixture.NOW).toMillis() / 1000.0;
        assertEquals(expected.readings() / seconds, o.get("readingsPerSecond").asDouble(), 0.01);
        assertEquals(21.0, o.get("readingsPerSecond").asDouble(), 0.5);
    }

    private static final long CUSTOMERS_PLUS_PEAK = DashboardFixture.CUSTOMERS + 1;

    @Test
    void overviewTakesAnExplicitRange() {
        JsonNode o = api.ok("/api/overview?from=2026-11-29T11:00:00Z&to=2026-11-29T11:30:00Z");
        Overview expected = fixture.pipeline.queries.overview(
                new TimeRange(Instant.parse("2026-11-29T11:00:00Z"), Instant.parse("2026-11-29T11:30:00Z")));
        assertEquals(expected.readings(), o.get("readings").asLong());
        // 30 minutes of 20 simulated customers, and peak-1 from 11:00:30 on
        assertEquals(30 * 60 * 20 + 29 * 60 + 30, o.get("readings").asLong());
    }

    @Test
    void tilesAreTheLatestReadingPerCustomerSortedFilteredAndPaged() {
        JsonNode page = api.ok("/api/customers?sort=heart_rate_desc&limit=5");
        LatestPage expected = fixture.pipeline.queries.latest(new LatestQuery(Set.of(), "", LatestOrder.HEART_RATE_DESC, 5, 0));
        assertEquals(CUSTOMERS_PLUS_PEAK, page.get("matching").asLong());
        assertEquals(5, page.get("items").size());
        for (int i = 0; i < 5; i++) {
            JsonNode item = page.get("items").get(i);
            Reading r = expected.readings().get(i);
            assertEquals(r.customerId().value(), item.get("customer").asText());
            assertEquals(r.heartRate(), item.get("heartRate").asInt());
            assertEquals(r.level().wireName(), item.get("level").asText());
            assertEquals(r.recordedAt().toString(), item.get("at").asText());
            assertEquals(r.activity().wireName(), item.get("activity").asText());
        }

        // every customer exactly once over the pages, in customer order
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 30; offset += 8) {
            JsonNode p = api.ok("/api/customers?sort=customer&limit=8&offset=" + offset);
            p.get("items").forEach(item -> seen.add(item.get("customer").asText()));
        }
        List<String> all = latestPerCustomer().stream().map(r -> r.customerId().value()).sorted().toList();
        assertEquals(all, seen);
    }

    @Test
    void tilesFilterByBandAndSearchById() {
        Set<AnomalyLevel> wanted = EnumSet.of(AnomalyLevel.NORMAL, AnomalyLevel.ELEVATED);
        long matching = latestPerCustomer().stream().filter(r -> wanted.contains(r.level())).count();
        JsonNode page = api.ok("/api/customers?level=normal,elevated&limit=100");
        assertEquals(matching, page.get("matching").asLong());
        page.get("items").forEach(item -> assertTrue(Set.of("normal", "elevated").contains(item.get("level").asText())));

        JsonNode found = api.ok("/api/customers?q=PEAK");
        assertEquals(1, found.get("matching").asLong());
        assertEquals(DashboardFixture.PEAK_CUSTOMER, found.get("items").get(0).get("customer").asText());
        JsonNode some = api.ok("/api/customers?q=cust-0001");
        assertEquals(10, some.get("matching").asLong()); // cust-00010 .. cust-00019

        JsonNode severe = api.ok("/api/customers?sort=severity&limit=" + CUSTOMERS_PLUS_PEAK);
        int previous = Integer.MAX_VALUE;
        for (JsonNode item : severe.get("items")) {
            int severity = AnomalyLevel.fromWireName(item.get("level").asText()).orElseThrow().severity();
            assertTrue(severity <= previous, "severity order");
            previous = severity;
        }
    }

    @Test
    void oneCustomersLatestReadingAnd404ForAValidIdWithoutReadings() {
        Reading latest = fixture.pipeline.queries.latest(CustomerId.of("cust-00007")).orElseThrow();
        JsonNode r = api.ok("/api/customers/cust-00007");
        assertEquals(latest.heartRate(), r.get("heartRate").asInt());
        assertEquals(latest.recordedAt().toString(), r.get("at").asText());

        ApiClient.Answer missing = api.get("/api/customers/nobody-here");
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.json().get("error").asText());
    }

    @Test
    void historyFollowsCoresPlanAndKeepsEveryPeak() {
        CustomerId peak = CustomerId.of(DashboardFixture.PEAK_CUSTOMER);
        for (String range : List.of("5m", "1h", "6h", "24h", "7d")) {
            JsonNode h = api.ok("/api/customers/peak-1/history?range=" + range + "&points=300");
            TimeRange asked = last(QueryParams.parseDuration("range", range, Duration.ZERO, Duration.ofDays(40)));
            History expected = fixture.pipeline.queries.history(peak, asked, 300);
            assertEquals(HistoryPlan.of(asked, 300).source().name().toLowerCase(), h.get("source").asText(), range);
            assertEquals(expected.points().size(), h.get("t").size(), range);
            assertEquals(expected.points().size(), h.get("points").asInt());
            for (int i = 0; i < expected.points().size(); i++) {
                assertEquals(expected.points().get(i).at().toEpochMilli(), h.get("t").get(i).asLong());
                assertEquals(expected.points().get(i).min(), h.get("min").get(i).asInt());
                assertEquals(expected.points().get(i).max(), h.get("max").get(i).asInt());
                assertEquals(expected.points().get(i).count(), h.get("count").get(i).asLong());
            }
            if (!range.equals("5m")) {
                int highest = 0;
                double highestMean = 0;
                for (int i = 0; i < h.get("max").size(); i++) {
                    highest = Math.max(highest, h.get("max").get(i).asInt());
                    highestMean = Math.max(highestMean, h.get("avg").get(i).asDouble());
                }
                assertEquals(250, highest, "the 250 bpm peak is in the " + range + " chart");
                if (!h.get("source").asText().equals("raw")) {
                    assertTrue(highestMean < 250, "buckets average it away, which is why max is sent too");
                }
            }
        }
        JsonNode raw = api.ok("/api/customers/peak-1/history?range=5m");
        assertEquals("raw", raw.get("source").asText());
        assertEquals(0.0, raw.get("bucketSeconds").asDouble());
        // the last 5 minutes up to now end just after 12:00:30, so they start just after 11:55:30
        assertEquals(299, raw.get("points").asInt());
    }

    @Test
    void historyTakesACustomRange() {
        JsonNode h = api.ok("/api/customers/peak-1/history?from=2026-11-29T11:29:00Z&to=2026-11-29T11:31:00Z");
        assertEquals("raw", h.get("source").asText());
        assertEquals(120, h.get("points").asInt());
        assertTrue(h.get("max").toString().contains("250"));
    }

    @Test
    void statsAndBandsMatchTheStore() {
        CustomerId customer = CustomerId.of("cust-00005");
        JsonNode s = api.ok("/api/customers/cust-00005/stats?range=1h");
        CustomerStats expected = fixture.pipeline.queries.stats(customer, last(Duration.ofHours(1))).orElseThrow();
        BandBreakdown bands = fixture.pipeline.queries.bands(customer, last(Duration.ofHours(1)));
        JsonNode stats = s.get("stats");
        assertEquals(expected.count(), stats.get("count").asLong());
        assertEquals(expected.min(), stats.get("min").asInt());
        assertEquals(expected.max(), stats.get("max").asInt());
        assertEquals(expected.avg(), stats.get("avg").asDouble(), 0.05);
        assertEquals(expected.stddev(), stats.get("stddev").asDouble(), 0.005);
        assertEquals(expected.criticalCount(), stats.get("criticalCount").asLong());
        assertEquals(expected.last().heartRate(), stats.get("last").get("heartRate").asInt());
        assertEquals(bands.total(), s.get("bands").get("total").asLong());
        for (AnomalyLevel level : AnomalyLevel.values()) {
            assertEquals(bands.counts().get(level), s.get("bands").get("counts").get(level.wireName()).asLong());
            assertEquals(bands.time().get(level).toMillis() / 1000.0,
                    s.get("bands").get("timeSeconds").get(level.wireName()).asDouble(), 0.001);
        }

        JsonNode peak = api.ok("/api/customers/peak-1/stats?range=6h");
        assertEquals(250, peak.get("stats").get("max").asInt());
        assertEquals(1, peak.get("stats").get("criticalCount").asLong());
        assertEquals(3600, peak.get("stats").get("count").asLong());

        JsonNode nobody = api.ok("/api/customers/nobody-here/stats");
        assertTrue(nobody.get("stats").isNull());
        assertEquals(0, nobody.get("bands").get("total").asLong());
    }

    @Test
    void aCustomersReadingsComeNewestFirstPagedByCursor() {
        JsonNode first = api.ok("/api/customers/peak-1/readings?limit=10");
        assertEquals(10, first.get("items").size());
        assertEquals(NOW_MINUS_ONE.toString(), first.get("items").get(0).get("at").asText());
        String next = first.get("next").asText();
        JsonNode second = api.ok("/api/customers/peak-1/readings?limit=10&cursor=" + next);
        assertEquals(NOW_MINUS_ONE.minusSeconds(10).toString(), second.get("items").get(0).get("at").asText());

        JsonNode critical = api.ok("/api/customers/peak-1/readings?level=critical&range=24h");
        assertEquals(1, critical.get("items").size());
        assertEquals(DashboardFixture.PEAK_AT.toString(), critical.get("items").get(0).get("at").asText());
        assertTrue(critical.get("next").isNull());
    }

    private static final Instant NOW_MINUS_ONE = DashboardFixture.NOW.minus(Duration.ofHours(1)).plusSeconds(3599);

    @Test
    void theAnomalyFeedPagesThroughEveryNonNormalReadingExactlyOnce() {
        TimeRange range = new TimeRange(Instant.parse("2026-11-29T11:30:00Z"), Instant.parse("2026-11-29T11:50:00Z"));
        List<Reading> expected = fixture.pipeline.database.allReadings().stream()
                .filter(r -> range.contains(r.recordedAt()) && r.level() != AnomalyLevel.NORMAL)
                .sorted(Comparator.comparing(Reading::recordedAt).thenComparing(Reading::customerId).reversed())
                .toList();
        assertTrue(expected.size() > 1000, "the simulator produced anomalies: " + expected.size());
        String window = "&from=" + range.from() + "&to=" + range.to();
        List<String> keys = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.ok("/api/anomalies?limit=500" + window + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> {
                assertFalse(i.get("level").asText().equals("normal"));
                keys.add(i.get("customer").asText() + "@" + i.get("at").asText());
            });
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 1000);
        assertEquals(expected.stream().map(r -> r.customerId().value() + "@" + r.recordedAt()).toList(), keys);
        assertEquals(keys.size(), new HashSet<>(keys).size());
    }

    @Test
    void theAnomalyFeedFiltersByLevelCustomerAndTime() {
        JsonNode critical = api.ok("/api/anomalies?level=critical&limit=500");
        assertTrue(critical.get("items").size() > 0);
        critical.get("items").forEach(i -> assertTrue(i.get("level").asText().startsWith("critical_")));

        JsonNode one = api.ok("/api/anomalies?customer=peak-1&level=critical_high");
        assertEquals(1, one.get("items").size());
        assertEquals(250, one.get("items").get(0).get("heartRate").asInt());

        JsonNode window = api.ok("/api/anomalies?customer=peak-1&from=2026-11-29T11:31:00Z&to=2026-11-29T11:40:00Z");
        assertEquals(0, window.get("items").size());
        assertTrue(window.get("next").isNull());

        JsonNode high = api.ok("/api/anomalies?level=high,low&limit=200");
        high.get("items").forEach(i -> assertTrue(Set.of("high", "low").contains(i.get("level").asText())));
    }

    @Test
    void theRejectFeedShowsReasonsDetailsAndPayloadsAsTheyCame() {
        JsonNode page = api.ok("/api/rejects");
        assertEquals(4, page.get("items").size());
        JsonNode markup = page.get("items").findParents("reason").stream()
                .filter(i -> i.get("reason").asText().equals("bad_customer_id")).findFirst().orElseThrow();
        assertTrue(markup.get("payload").asText().contains(DashboardFixture.MARKUP_ID), "payload kept verbatim");
        assertEquals("utf-8", markup.get("payloadEncoding").asText());
        assertFalse(markup.get("payloadTruncated").asBoolean());
        assertEquals("heartbeat-data", markup.get("topic").asText());
        assertFalse(markup.get("detail").asText().isBlank());

        JsonNode malformed = api.ok("/api/rejects?reason=malformed_json");
        assertEquals(2, malformed.get("items").size());
        JsonNode paged = api.ok("/api/rejects?limit=3");
        assertEquals(3, paged.get("items").size());
        JsonNode rest = api.ok("/api/rejects?limit=3&cursor=" + paged.get("next").asText());
        assertEquals(1, rest.get("items").size());
        assertTrue(rest.get("next").isNull());
        JsonNode colon = api.ok("/api/rejects?reason=heart_rate_out_of_range");
        assertEquals(1, colon.get("items").size());
    }

    @Test
    void sparklinesKeepEachBucketsLowestAndHighestReading() {
        JsonNode s = api.ok("/api/sparklines?customers=cust-00001,peak-1&range=5m&points=30");
        assertEquals(2, s.get("series").size());
        for (JsonNode series : s.get("series")) {
            CustomerId id = CustomerId.of(series.get("customer").asText());
            List<Reading> readings = fixture.pipeline.database.allReadings().stream()
                    .filter(r -> r.customerId().equals(id) && last(Duration.ofMinutes(5)).contains(r.recordedAt()))
                    .toList();
            assertTrue(series.get("t").size() <= 30);
            int highest = 0;
            int lowest = Integer.MAX_VALUE;
            for (int i = 0; i < series.get("t").size(); i++) {
                highest = Math.max(highest, series.get("max").get(i).asInt());
                lowest = Math.min(lowest, series.get("min").get(i).asInt());
            }
            assertEquals(readings.stream().mapToInt(Reading::heartRate).max().orElseThrow(), highest);
            assertEquals(readings.stream().mapToInt(Reading::heartRate).min().orElseThrow(), lowest);
        }
        JsonNode peak = api.ok("/api/sparklines?customers=peak-1&range=1h&points=20");
        assertTrue(peak.get("series").get(0).get("max").toString().contains("250"));
    }

    @Test
    void pipelineHealthMatchesTheStoreAndTheLag() {
        JsonNode p = api.ok("/api/pipeline?range=1h&bucket=1m");
        PipelineCounters counters = fixture.pipeline.queries.counters();
        JsonNode c = p.get("counters");
        assertEquals(counters.messages(), c.get("messages").asLong());
        assertEquals(counters.stored(), c.get("stored").asLong());
        assertEquals(counters.rejected(), c.get("rejected").asLong());
        assertEquals(counters.duplicates(), c.get("duplicates").asLong());
        assertEquals(counters.customers(), c.get("customers").asLong());
        assertEquals(2, c.get("rejectsByReason").get("malformed_json").asLong());
        assertEquals(1, c.get("rejectsByReason").get("bad_customer_id").asLong());
        assertEquals(0, c.get("rejectsByReason").get("too_large").asLong());
        assertEquals(counters.newestReading().orElseThrow().toString(), c.get("newestReading").asText());
        assertEquals(4, c.get("positions").size(), "three partitions and the gap's");
        assertEquals(1, c.get("gaps").asLong());
        assertEquals(120, c.get("skippedMessages").asLong());
        JsonNode gap = c.get("recentGaps").get(0);
        assertEquals("heartbeat-retired 0 0 120 120 removed_before_read", gap.get("topic").asText() + " "
                + gap.get("partition").asInt() + " " + gap.get("fromOffset").asLong() + " " + gap.get("toOffset").asLong()
                + " " + gap.get("messages").asLong() + " " + gap.get("reason").asText());

        List<ThroughputPoint> expected = fixture.pipeline.queries.throughput(last(Duration.ofHours(1)), Duration.ofMinutes(1));
        assertEquals(60.0, p.get("bucketSeconds").asDouble());
        assertEquals(expected.size(), p.get("throughput").get("t").size());
        long stored = expected.stream().mapToLong(ThroughputPoint::stored).sum();
        assertEquals(stored, p.get("totals").get("stored").asLong());
        assertEquals(counters.stored(), stored, "the fixed clock committed every batch inside the range");
        assertEquals(expected.stream().mapToLong(ThroughputPoint::duplicates).sum(), p.get("totals").get("duplicates").asLong());

        JsonNode auto = api.ok("/api/pipeline?range=24h");
        assertEquals(900.0, auto.get("bucketSeconds").asDouble(), "24 h in 15 min buckets: 96 of them");

        JsonNode lag = api.ok("/api/pipeline/lag");
        List<ConsumerLag.PartitionLag> lags = fixture.pipeline.lag.lag();
        assertEquals(lags.size(), lag.get("partitions").size());
        for (int i = 0; i < lags.size(); i++) {
            assertEquals(lags.get(i).endOffset(), lag.get("partitions").get(i).get("endOffset").asLong());
            assertEquals(lags.get(i).storedOffset(), lag.get("partitions").get(i).get("storedOffset").asLong());
        }
        assertEquals(0, lag.get("total").asLong());
    }

    @Test
    void metaPublishesTheBandsAndTheThresholdsAtTheRightPlaces() {
        JsonNode meta = api.ok("/api/meta");
        assertEquals(6, meta.get("levels").size());
        List<Integer> lines = new ArrayList<>();
        meta.get("thresholds").forEach(t -> lines.add(t.get("bpm").asInt()));
        assertEquals(List.of(40, 60, 100, 160, 200), lines);
        JsonNode at160 = meta.get("thresholds").get(3);
        assertEquals("elevated", at160.get("below").asText());
        assertEquals("high", at160.get("above").asText());
        assertEquals("160 · high above", at160.get("label").asText());
        JsonNode at200 = meta.get("thresholds").get(4);
        assertEquals("high", at200.get("below").asText());
        assertEquals("critical_high", at200.get("above").asText());
        assertTrue(meta.get("rejectReasons").toString().contains("missing_field:heart_rate"));
        assertEquals(ApiLimits.MAX_PAGE, meta.get("limits").get("maxPage").asInt());
    }

    @Test
    void healthProbesAndMetrics() {
        assertEquals("live", api.ok("/health/live").get("status").asText());
        assertEquals("ready", api.ok("/health/ready").get("status").asText());
        fixture.ready.set(false);
        try {
            ApiClient.Answer notReady = api.get("/health/ready");
            assertEquals(503, notReady.status());
            assertEquals("not_ready", notReady.json().get("status").asText());
        } finally {
            fixture.ready.set(true);
        }
        ApiClient.Answer metrics = api.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(metrics.body().contains("heartbeat_test_up 1"));
    }

    @Test
    void theReadEndpointsAnswerOnlyGet() {
        ApiClient.Answer post = api.post("/api/overview");
        assertEquals(405, post.status());
        assertEquals("method_not_allowed", post.json().get("error").asText());
        ApiClient.Answer unknown = api.get("/api/nothing-here");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().get("error").asText());
    }
}
