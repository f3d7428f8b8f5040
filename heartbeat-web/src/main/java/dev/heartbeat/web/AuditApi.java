package dev.heartbeat.web;

import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /api/audit}, for admins only: the audit trail, newest first, filtered by person
 * ({@code actor}), {@code customer}, {@code action} and time ({@code range}, or {@code from} and
 * {@code to}; default the last 24 h, at most 31 days), paged with {@code limit} and {@code cursor}.
 * Reading it is itself recorded.
 */
final class AuditApi {

    private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._@:/-]{1,200}");

    record AuditView(long seq, Instant at, String actor, String role, String action, String customer, String alert,
                     String client, String outcome, String hash) {
        static AuditView of(AuditRecord r) {
            return new AuditView(r.seq(), r.event().at(), r.event().actor(), r.event().role(), r.event().action(),
                    r.event().customer().orElse(null), r.event().alert().orElse(null), r.event().client(), r.event().outcome(),
                    r.hash());
        }
    }

    private final AuditLog log;
    private final Clock clock;

    AuditApi(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    void find(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("actor", "customer", "action", "range", "from", "to", "limit", "cursor"));
        Optional<String> actor = checked(params, "actor");
        Optional<String> customer = checked(params, "customer");
        Optional<String> action = checked(params, "action");
        TimeRange range = params.timeRange(clock, Duration.ofHours(24), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 100);
        PageRequest request = new PageRequest(limit, params.cursor("cursor", key -> SEQ.matcher(key).matches()));
        Page<AuditRecord> page = log.find(new AuditLog.Filter(actor, customer, action, range.from(), range.to()), request);
        ctx.json(ApiJson.FeedPage.of(range, page.items().stream().map(AuditView::of).toList(), page.next()));
    }

    private static Optional<String> checked(QueryParams params, String name) {
        Optional<String> value = params.text(name);
        if (value.isPresent() && !TEXT.matcher(value.get()).matches()) {
            throw new BadParameterException(name, name + " must be 1-200 letters, digits and . _ @ : / -");
        }
        return value;
    }

    static void notConfigured(Context ctx) {
        ErrorResponses.send(ctx, 404, "audit_not_configured", null, "this dashboard keeps no audit trail");
    }
}
