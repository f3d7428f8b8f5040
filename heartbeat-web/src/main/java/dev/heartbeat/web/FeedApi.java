package dev.heartbeat.web;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The feeds across all customers: anomalous readings and rejected messages, newest first. */
final class FeedApi {

    private final ReadingQueries queries;
    private final Clock clock;

    FeedApi(ReadingQueries queries, Clock clock) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code GET /api/anomalies?level=critical&customer=&range=24h&limit=50&cursor=}: readings
     * outside the normal band (all of them unless {@code level} narrows it), newest first.
     */
    void anomalies(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("level", "customer", "range", "from", "to", "limit", "cursor"));
        Set<AnomalyLevel> levels = params.levels("level", false);
        if (levels.isEmpty()) {
            levels = EnumSet.complementOf(EnumSet.of(AnomalyLevel.NORMAL));
        }
        var customer = params.customer("customer");
        TimeRange range = params.timeRange(clock, Duration.ofHours(24), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 50);
        PageRequest request = new PageRequest(limit, params.readingCursor("cursor"));
        Page<Reading> page = queries.readings(new ReadingFilter(customer, levels, range), request);
        ctx.json(ApiJson.FeedPage.of(range, page.items().stream().map(ApiJson.ReadingView::of).toList(), page.next()));
    }

    /** {@code GET /api/rejects?reason=&range=24h&limit=50&cursor=}: rejected messages with their reasons. */
    void rejects(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("reason", "range", "from", "to", "limit", "cursor"));
        var reason = params.reason("reason");
        TimeRange range = params.timeRange(clock, Duration.ofHours(24), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 50);
        PageRequest request = new PageRequest(limit, params.rejectCursor("cursor"));
        Page<StoredReject> page = queries.rejects(new RejectFilter(reason, range), request);
        ctx.json(ApiJson.FeedPage.of(range, page.items().stream().map(ApiJson.RejectView::of).toList(), page.next()));
    }
}
