package dev.heartbeat.web;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPoint;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One customer's endpoints: latest reading, history for a chart, statistics with bands, readings. */
final class CustomerApi {

    private final ReadingQueries queries;
    private final Clock clock;

    CustomerApi(ReadingQueries queries, Clock clock) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static CustomerId pathCustomer(Context ctx) {
        return QueryParams.customerId("id", ctx.pathParam("id"));
    }

    /** {@code GET /api/customers/{id}}: the latest reading, or 404 when the customer has none. */
    void latest(Context ctx) {
        CustomerId customer = pathCustomer(ctx);
        QueryParams.of(ctx, Set.of());
        Optional<Reading> latest = queries.latest(customer);
        if (latest.isEmpty()) {
            ErrorResponses.notFound(ctx, "no reading of customer " + customer.value() + " is stored");
            return;
        }
        ctx.json(ApiJson.ReadingView.of(latest.get()));
    }

    record HistoryView(String customer, Instant from, Instant to, String source, double bucketSeconds, int points,
                       List<Long> t, List<Integer> min, List<Integer> max, List<Double> avg, List<Long> count) {
    }

    /**
     * {@code GET /api/customers/{id}/history?range=1h&points=600} (or {@code from}/{@code to}): the
     * chart's series, columnar for uPlot. Every bucket keeps its lowest and highest reading.
     */
    void history(Context ctx) {
        CustomerId customer = pathCustomer(ctx);
        QueryParams params = QueryParams.of(ctx, Set.of("range", "from", "to", "points"));
        TimeRange range = params.timeRange(clock, Duration.ofHours(1), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        int points = params.integer("points", ApiLimits.MIN_HISTORY_POINTS, ApiLimits.MAX_HISTORY_POINTS,
                ApiLimits.DEFAULT_HISTORY_POINTS);
        History history = queries.history(customer, range, points);
        int n = history.points().size();
        List<Long> t = new ArrayList<>(n);
        List<Integer> min = new ArrayList<>(n);
        List<Integer> max = new ArrayList<>(n);
        List<Double> avg = new ArrayList<>(n);
        List<Long> count = new ArrayList<>(n);
        for (HistoryPoint p : history.points()) {
            t.add(p.at().toEpochMilli());
            min.add(p.min());
            max.add(p.max());
            avg.add(ApiJson.round(p.avg(), 1));
            count.add(p.count());
        }
        ctx.json(new HistoryView(customer.value(), range.from(), range.to(),
                history.plan().source().name().toLowerCase(Locale.ROOT), ApiJson.seconds(history.plan().bucket()), n,
                t, min, max, avg, count));
    }

    record StatsSummary(long count, double avg, int min, int max, double stddev, long criticalCount,
                        ApiJson.ReadingView last) {
        static StatsSummary of(CustomerStats s) {
            return new StatsSummary(s.count(), ApiJson.round(s.avg(), 1), s.min(), s.max(), ApiJson.round(s.stddev(), 2),
                    s.criticalCount(), ApiJson.ReadingView.of(s.last()));
        }
    }

    record BandsView(long total, Map<String, Long> counts, Map<String, Double> timeSeconds) {
        static BandsView of(BandBreakdown b) {
            return new BandsView(b.total(), ApiJson.byLevel(level -> b.counts().get(level)),
                    ApiJson.byLevel(level -> ApiJson.seconds(b.time().get(level))));
        }
    }

    record StatsView(String customer, Instant from, Instant to, StatsSummary stats, BandsView bands) {
    }

    /**
     * {@code GET /api/customers/{id}/stats?range=1h}: count, min, avg, max, last and critical
     * readings over the range ({@code stats} is null when there is none), and readings and time per band.
     */
    void stats(Context ctx) {
        CustomerId customer = pathCustomer(ctx);
        QueryParams params = QueryParams.of(ctx, Set.of("range", "from", "to"));
        TimeRange range = params.timeRange(clock, Duration.ofHours(1), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        Optional<CustomerStats> stats = queries.stats(customer, range);
        BandBreakdown bands = queries.bands(customer, range);
        ctx.json(new StatsView(customer.value(), range.from(), range.to(), stats.map(StatsSummary::of).orElse(null),
                BandsView.of(bands)));
    }

    /**
     * {@code GET /api/customers/{id}/readings?limit=20&range=24h&level=&cursor=}: the customer's
     * readings, newest first, paged by cursor.
     */
    void readings(Context ctx) {
        CustomerId customer = pathCustomer(ctx);
        QueryParams params = QueryParams.of(ctx, Set.of("range", "from", "to", "level", "limit", "cursor"));
        TimeRange range = params.timeRange(clock, Duration.ofHours(24), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        Set<AnomalyLevel> levels = params.levels("level", true);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 20);
        PageRequest request = new PageRequest(limit, params.readingCursor("cursor"));
        Page<Reading> page = queries.readings(new ReadingFilter(Optional.of(customer), levels, range), request);
        ctx.json(ApiJson.FeedPage.of(range, page.items().stream().map(ApiJson.ReadingView::of).toList(), page.next()));
    }
}
