package dev.heartbeat.web;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPoint;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestPage;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Overview;
import dev.heartbeat.core.query.TimeBuckets;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The overview page's endpoints: the headline, the customer tiles and their sparklines. */
final class OverviewApi {

    private final ReadingQueries queries;
    private final Clock clock;

    OverviewApi(ReadingQueries queries, Clock clock) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    record OverviewView(Instant from, Instant to, Instant countedFrom, Instant countedTo, long readings,
                        double readingsPerSecond, long activeCustomers, double avgHeartRate, Map<String, Long> byLevel,
                        long criticalReadings) {
    }

    /** {@code GET /api/overview?range=15m} (or {@code from}/{@code to}). */
    void overview(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("range", "from", "to"));
        TimeRange range = params.timeRange(clock, Duration.ofMinutes(15), Duration.ofMinutes(1), ApiLimits.MAX_RANGE);
        Overview overview = queries.overview(range);
        // the store counts whole minutes, so the rate divides by the time those minutes cover up to now
        TimeRange counted = TimeBuckets.wholeMinutes(range);
        Instant now = clock.instant();
        Instant countedEnd = counted.to().isAfter(now) ? now : counted.to();
        long coveredMillis = Math.max(1_000, countedEnd.toEpochMilli() - counted.from().toEpochMilli());
        double perSecond = overview.readings() / (coveredMillis / 1000.0);
        ctx.json(new OverviewView(range.from(), range.to(), counted.from(), counted.to(), overview.readings(),
                ApiJson.round(perSecond, 2), overview.activeCustomers(), ApiJson.round(overview.avgHeartRate(), 1),
                ApiJson.byLevel(level -> overview.byLevel().get(level)), overview.criticalReadings()));
    }

    record TilesView(long matching, int offset, int limit, String sort, List<String> levels, String q,
                     List<ApiJson.ReadingView> items) {
    }

    /** {@code GET /api/customers?level=&q=&sort=&limit=&offset=}: the latest reading of each customer. */
    void customers(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("level", "q", "sort", "limit", "offset"));
        Set<AnomalyLevel> levels = params.levels("level", true);
        String search = params.search("q");
        LatestOrder order = params.order("sort", LatestOrder.CUSTOMER);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 48);
        int offset = params.integer("offset", 0, ApiLimits.MAX_OFFSET, 0);
        LatestPage page = queries.latest(new LatestQuery(levels, search, order, limit, offset));
        ctx.json(new TilesView(page.matching(), offset, limit, order.name().toLowerCase(Locale.ROOT),
                levels.stream().sorted().map(AnomalyLevel::wireName).toList(), search,
                page.readings().stream().map(ApiJson.ReadingView::of).toList()));
    }

    record Sparkline(String customer, List<Long> t, List<Integer> min, List<Integer> max, List<Double> avg) {
    }

    record SparklinesView(Instant from, Instant to, List<Sparkline> series) {
    }

    /**
     * {@code GET /api/sparklines?customers=a,b&range=5m&points=60}: each customer's recent heart
     * rate in at most {@code points} buckets, keeping each bucket's lowest and highest value.
     */
    void sparklines(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("customers", "range", "points"));
        List<CustomerId> customers = params.customers("customers", ApiLimits.MAX_SPARKLINE_CUSTOMERS);
        if (customers.isEmpty()) {
            throw new BadParameterException("customers", "customers is required: a comma-separated list of customer ids");
        }
        Duration length = params.duration("range", Duration.ofMinutes(1), ApiLimits.MAX_SPARKLINE_RANGE)
                .orElse(Duration.ofMinutes(5));
        int points = params.integer("points", 10, 300, 60);
        TimeRange range = TimeRange.last(length, clock);
        List<Sparkline> series = new ArrayList<>(customers.size());
        for (CustomerId customer : customers) {
            History history = queries.history(customer, range, points);
            series.add(thin(customer, history.points(), range, points));
        }
        ctx.json(new SparklinesView(range.from(), range.to(), series));
    }

    /** At most {@code points} equal buckets over the range, each keeping min, max and the weighted mean. */
    static Sparkline thin(CustomerId customer, List<HistoryPoint> source, TimeRange range, int points) {
        long fromMs = range.from().toEpochMilli();
        long width = Math.max(1, (range.to().toEpochMilli() - fromMs + points - 1) / points);
        List<Long> t = new ArrayList<>();
        List<Integer> min = new ArrayList<>();
        List<Integer> max = new ArrayList<>();
        List<Double> avg = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        int lo = 0;
        int hi = 0;
        double sum = 0;
        long count = 0;
        for (HistoryPoint p : source) {
            long b = Math.floorDiv(p.at().toEpochMilli() - fromMs, width);
            if (b != bucket && count > 0) {
                add(t, min, max, avg, fromMs + bucket * width, lo, hi, sum / count);
                count = 0;
            }
            if (count == 0) {
                bucket = b;
                lo = p.min();
                hi = p.max();
                sum = 0;
            }
            lo = Math.min(lo, p.min());
            hi = Math.max(hi, p.max());
            sum += p.avg() * p.count();
            count += p.count();
        }
        if (count > 0) {
            add(t, min, max, avg, fromMs + bucket * width, lo, hi, sum / count);
        }
        return new Sparkline(customer.value(), t, min, max, avg);
    }

    private static void add(List<Long> t, List<Integer> min, List<Integer> max, List<Double> avg, long at, int lo, int hi,
                            double mean) {
        t.add(at);
        min.add(lo);
        max.add(hi);
        avg.add(ApiJson.round(mean, 1));
    }
}
