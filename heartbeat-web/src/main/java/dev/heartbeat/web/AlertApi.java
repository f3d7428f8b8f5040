package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.CustomerId;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The alerts: the open ones (most severe first), the history with provenance, one alert, and the
 * acknowledgement, the API's only write. Alert ids hold slashes ({@code customer/rule/epoch.micros},
 * see {@link dev.heartbeat.core.alert.Alert#idOf}) and travel in the path as they are.
 */
final class AlertApi {

    private static final Logger LOG = LoggerFactory.getLogger(AlertApi.class);

    private static final Pattern RULE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern FIRST_AT = Pattern.compile("-?[0-9]{1,19}\\.[0-9]{6}");
    private static final int MAX_ID_LENGTH = CustomerId.MAX_LENGTH + 40 + 28 + 2;
    /** Far more than {@code {}} needs; anything longer is refused unread. */
    static final int MAX_ACK_BODY_BYTES = 4_096;

    private final AlertStore alerts;
    private final Optional<SilenceStore> silences;
    private final Clock clock;
    private final ObjectMapper mapper;

    AlertApi(AlertStore alerts, Optional<SilenceStore> silences, Clock clock, ObjectMapper mapper) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Whether {@code id} has the shape of an alert id: a customer id, a rule name, the first reading's time. */
    static boolean isAlertId(String id) {
        if (id == null || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        String[] parts = id.split("/", -1);
        return parts.length == 3 && CustomerId.isValid(parts[0]) && RULE_NAME.matcher(parts[1]).matches()
                && FIRST_AT.matcher(parts[2]).matches();
    }

    private static String pathId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!isAlertId(id)) {
            throw new BadParameterException("id", "id must be an alert id (customer/rule/seconds.micros, as the API "
                    + "hands it out), got \"" + LogText.shortened(id) + '"');
        }
        return id;
    }

    record ActiveView(Instant at, int limit, boolean more, List<ApiJson.AlertView> items) {
    }

    /** {@code GET /api/alerts/active?limit=50}: the open alerts, most severe first, then newest first. */
    void active(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("limit"));
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 50);
        List<StoredAlert> open = alerts.active(limit + 1);
        boolean more = open.size() > limit;
        List<ApiJson.AlertView> items = views(open.stream().limit(limit).toList());
        ctx.json(new ActiveView(clock.instant(), limit, more, items));
    }

    /**
     * {@code GET /api/alerts?customer=&range=24h&limit=50&cursor=} (or {@code from}/{@code to}):
     * alerts in any state that fired in the range, of one customer or all, newest first.
     */
    void history(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("customer", "range", "from", "to", "limit", "cursor"));
        Optional<CustomerId> customer = params.customer("customer");
        TimeRange range = params.timeRange(clock, Duration.ofHours(24), ApiLimits.MIN_RANGE, ApiLimits.MAX_RANGE);
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 50);
        PageRequest request = new PageRequest(limit, params.cursor("cursor", AlertApi::isAlertId));
        Page<StoredAlert> page = alerts.history(customer, range, request);
        ctx.json(ApiJson.FeedPage.of(range, views(page.items()), page.next()));
    }

    /** {@code GET /api/alerts/{id}}: one alert, or 404. */
    void alert(Context ctx) {
        if (ctx.pathParam("id").endsWith("/ack")) {
            ErrorResponses.send(ctx, 405, "method_not_allowed", null, "acknowledge an alert with POST");
            return;
        }
        String id = pathId(ctx);
        QueryParams.of(ctx, Set.of());
        Optional<StoredAlert> alert = alerts.alert(id);
        if (alert.isEmpty()) {
            ErrorResponses.notFound(ctx, "no alert " + id + " is stored");
            return;
        }
        ctx.json(views(List.of(alert.get())).getFirst());
    }

    /**
     * {@code POST /api/alerts/{id}/ack} with a JSON object ({@code Content-Type: application/json}), empty or
     * with a {@code note} (what was done or found, at most 500 characters): records that the signed-in
     * person took the alert on, and when (the server's clock). The author is
     * the request's identity, never something the request says. The first acknowledgement is kept;
     * acknowledging again answers the stored one. 404 for an unknown alert.
     */
    void acknowledge(Context ctx) {
        String id = pathId(ctx);
        QueryParams.of(ctx, Set.of());
        Optional<JsonNode> body = JsonBody.object(ctx, mapper, MAX_ACK_BODY_BYTES, Set.of("by", "note"),
                "{} or {\"note\": \"called, sensor refitted\"}");
        if (body.isEmpty()) {
            return;
        }
        if (body.get().has("by")) {
            throw new BadParameterException("by", "the acknowledgement is recorded under the name you signed in with; "
                    + "send {} without by");
        }
        Optional<String> note = Optional.empty();
        if (body.get().has("note") && !body.get().get("note").isNull()) {
            if (!body.get().get("note").isTextual()) {
                throw new BadParameterException("note", "note must be a string: what you did or found");
            }
            note = Optional.of(JsonBody.text(body.get(), "note", Acknowledgement.MAX_NOTE_LENGTH));
        }
        Identity who = AccessGate.identity(ctx);
        Acknowledgement acknowledgement;
        try {
            acknowledgement = new Acknowledgement(who.name(), clock.instant(), note);
        } catch (dev.heartbeat.core.InvalidValueException e) {
            throw new BadParameterException("note", e.getMessage());
        }
        Optional<StoredAlert> stored = alerts.acknowledge(id, acknowledgement);
        if (stored.isEmpty()) {
            ErrorResponses.notFound(ctx, "no alert " + id + " is stored");
            return;
        }
        LOG.info("alert {} acknowledged by {} (kept: {})", id, who.name(),
                stored.get().acknowledgement().map(a -> LogText.safe(a.by()) + " at " + a.at()).orElse("none"));
        ctx.json(views(List.of(stored.get())).getFirst());
    }

    /** The alerts as the API shows them, each open one with the silence that mutes it now, if one does. */
    private List<ApiJson.AlertView> views(List<StoredAlert> stored) {
        List<Silence> inEffect = silences.map(store -> store.inEffect(clock.instant())).orElse(List.of());
        return stored.stream().map(s -> ApiJson.AlertView.of(s, s.alert().isOpen()
                ? Silence.firstMuting(inEffect, s.alert()) : Optional.empty())).toList();
    }

    /** Every alert endpoint when the dashboard was built without an alert store. */
    static void notConfigured(Context ctx) {
        ErrorResponses.send(ctx, 404, "alerts_not_configured", null, "this dashboard has no alert store");
    }
}
