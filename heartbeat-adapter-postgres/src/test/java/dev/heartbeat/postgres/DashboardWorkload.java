package dev.heartbeat.postgres;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@link ReadingQueries} method as the dashboard calls it: the customer grid, a customer's page
 * (latest, history at three zoom levels, statistics, bands), the headline, the feeds with their second
 * pages, throughput and counters. Shared by the query-plan test and the benchmark.
 */
final class DashboardWorkload {

    private DashboardWorkload() {
    }

    /** Named calls on {@code customer}'s data as of {@code clock}; each runs one dashboard request. */
    static Map<String, Runnable> calls(ReadingQueries queries, CustomerId customer, Clock clock) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("latest: grid, by severity", () -> queries.latest(new LatestQuery(Set.of(), "", LatestOrder.SEVERITY, 50, 0)));
        calls.put("latest: grid, critical only", () -> queries.latest(new LatestQuery(
                EnumSet.of(AnomalyLevel.CRITICAL_LOW, AnomalyLevel.CRITICAL_HIGH), "", LatestOrder.RECENT, 50, 0)));
        calls.put("latest: grid, id search, page 3", () -> queries.latest(new LatestQuery(Set.of(), "cust-0", LatestOrder.CUSTOMER, 50, 100)));
        calls.put("latest: one customer", () -> queries.latest(customer));
        calls.put("history: 10 min (raw)", () -> queries.history(customer, last(Duration.ofMinutes(10), clock), 600));
        calls.put("history: 6 h (raw buckets)", () -> queries.history(customer, last(Duration.ofHours(6), clock), 600));
        calls.put("history: 24 h (minute rollups)", () -> queries.history(customer, last(Duration.ofHours(24), clock), 600));
        calls.put("history: 7 d (minute rollups)", () -> queries.history(customer, last(Duration.ofDays(7), clock), 600));
        calls.put("stats: 24 h", () -> queries.stats(customer, last(Duration.ofHours(24), clock)));
        calls.put("bands: 24 h", () -> queries.bands(customer, last(Duration.ofHours(24), clock)));
        calls.put("overview: 1 h", () -> queries.overview(last(Duration.ofHours(1), clock)));
        calls.put("overview: 24 h", () -> queries.overview(last(Duration.ofHours(24), clock)));
        calls.put("readings: critical feed, 2 pages", () -> twoPages(queries, ReadingFilter.critical(last(Duration.ofDays(7), clock))));
        calls.put("readings: non-normal feed, 2 pages", () -> twoPages(queries, ReadingFilter.nonNormal(last(Duration.ofHours(24), clock))));
        calls.put("readings: everything, 2 pages", () -> twoPages(queries,
                new ReadingFilter(Optional.empty(), Set.of(), last(Duration.ofHours(1), clock))));
        calls.put("readings: one customer, 2 pages", () -> twoPages(queries,
                new ReadingFilter(Optional.of(customer), Set.of(), last(Duration.ofDays(7), clock))));
        calls.put("rejects: feed, 2 pages", () -> twoRejectPages(queries, new RejectFilter(Optional.empty(), last(Duration.ofDays(1), clock))));
        calls.put("rejects: one reason", () -> queries.rejects(new RejectFilter(Optional.of(RejectReason.BAD_TIMESTAMP),
                last(Duration.ofDays(1), clock)), PageRequest.first(50)));
        calls.put("throughput: 1 h by minute", () -> queries.throughput(last(Duration.ofHours(1), clock), Duration.ofMinutes(1)));
        calls.put("counters", queries::counters);
        calls.put("live feed: written since the last poll", () -> queries.writtenSince(
                Optional.of(queries.writtenSince(Optional.empty()).cursor())));
        return calls;
    }

    private static TimeRange last(Duration length, Clock clock) {
        return TimeRange.last(length, clock);
    }

    private static void twoPages(ReadingQueries queries, ReadingFilter filter) {
        Page<Reading> first = queries.readings(filter, PageRequest.first(50));
        first.next().ifPresent(cursor -> queries.readings(filter, new PageRequest(50, Optional.of(cursor))));
    }

    private static void twoRejectPages(ReadingQueries queries, RejectFilter filter) {
        Page<StoredReject> first = queries.rejects(filter, PageRequest.first(50));
        first.next().ifPresent(cursor -> queries.rejects(filter, new PageRequest(50, Optional.of(cursor))));
    }
}
