package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.Durations;
import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Silences (docs/alerts.md#silences): {@code GET /api/silences} lists them, {@code POST /api/silences}
 * makes one (a responder or an admin, and only an admin one that mutes critical alerts; the author is the
 * signed-in person), {@code POST
 * /api/silences/{id}/end} ends one early. A silence names a customer, a rule and/or a severity, lasts at
 * most the configured longest (24 h unless configured), and gives its reason.
 */
final class SilenceApi {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceApi.class);
    static final int MAX_BODY_BYTES = 4_096;
    private static final Pattern RULE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Set<String> FIELDS = Set.of("customer", "rule", "severity", "includesCritical", "startsAt",
            "endsAt", "duration", "reason");
    private static final String EXAMPLE = "{\"customer\": \"amy\", \"rule\": \"bradycardia\", \"duration\": \"30m\", "
            + "\"reason\": \"athlete, resting in the 40s\"}";
    /** How far back the list of silences that are over reaches. */
    static final Duration ENDED_WITHIN = Duration.ofDays(7);

    private final SilenceStore silences;
    private final Duration longest;
    private final Clock clock;
    private final ObjectMapper mapper;

    SilenceApi(SilenceStore silences, Duration longest, Clock clock, ObjectMapper mapper) {
        this.silences = Objects.requireNonNull(silences, "silences");
        this.longest = Objects.requireNonNull(longest, "longest");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    record SilencesView(Instant at, String state, Duration longest, List<ApiJson.SilenceView> items) {
    }

    /**
     * {@code GET /api/silences?state=current}: the silences not over (active or scheduled), soonest end
     * first; {@code state=over}: those over in the last 7 days, latest first (at most {@code limit}).
     */
    void list(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("state", "limit"));
        String state = params.text("state").orElse("current");
        int limit = params.integer("limit", 1, ApiLimits.MAX_PAGE, 100);
        Instant now = now();
        List<Silence> found = switch (state) {
            case "current" -> silences.current(now).stream().limit(limit).toList();
            case "over" -> silences.ended(now, now.minus(ENDED_WITHIN), limit);
            default -> throw new BadParameterException("state", "state must be current or over, got \""
                    + LogText.shortened(state) + '"');
        };
        ctx.json(new SilencesView(now, state, longest, found.stream().map(s -> ApiJson.SilenceView.of(s, now)).toList()));
    }

    /**
     * {@code POST /api/silences} with a JSON object: {@code customer}, {@code rule}, {@code severity} (at
     * least one), {@code includesCritical} (default false), {@code startsAt} (default now), and either
     * {@code endsAt} or {@code duration} (such as {@code 30m}), and {@code reason}. 201 with the silence.
     */
    void create(Context ctx) {
        QueryParams.of(ctx, Set.of());
        Optional<JsonNode> body = JsonBody.object(ctx, mapper, MAX_BODY_BYTES, FIELDS, EXAMPLE);
        if (body.isEmpty()) {
            return;
        }
        JsonNode json = body.get();
        Instant now = now();
        Optional<CustomerId> customer = optionalText(json, "customer").map(v -> QueryParams.customerId("customer", v));
        Optional<String> rule = optionalText(json, "rule").map(v -> {
            if (!RULE_NAME.matcher(v).matches()) {
                throw new BadParameterException("rule", "rule must be an alert rule's name (such as tachycardia or "
                        + "bradycardia), got \"" + LogText.shortened(v) + '"');
            }
            return v;
        });
        Optional<AnomalyLevel> severity = optionalText(json, "severity").map(v -> AnomalyLevel.fromWireName(v)
                .filter(level -> level != AnomalyLevel.NORMAL)
                .orElseThrow(() -> new BadParameterException("severity", "severity must be one of low, elevated, high, "
                        + "critical_low, critical_high, got \"" + LogText.shortened(v) + '"')));
        boolean critical = false;
        if (json.has("includesCritical")) {
            if (!json.get("includesCritical").isBoolean()) {
                throw new BadParameterException("includesCritical", "includesCritical must be true or false");
            }
            critical = json.get("includesCritical").booleanValue();
        }
        Instant startsAt = optionalText(json, "startsAt").map(v -> QueryParams.parseTime("startsAt", v)).orElse(now);
        Optional<Instant> endsAt = optionalText(json, "endsAt").map(v -> QueryParams.parseTime("endsAt", v));
        Optional<Duration> duration = optionalText(json, "duration")
                .map(v -> QueryParams.parseDuration("duration", v, Duration.ofMinutes(1), longest));
        if (endsAt.isPresent() == duration.isPresent()) {
            throw new BadParameterException("endsAt", "give the silence's end: endsAt (a time) or duration (such as "
                    + "30m, at most " + Durations.format(longest) + "), one of them");
        }
        if (!json.has("reason")) {
            throw new BadParameterException("reason", "reason is required: why these alerts may be muted");
        }
        String reason = JsonBody.text(json, "reason", SilenceRequest.MAX_REASON_LENGTH);
        SilenceRequest request = new SilenceRequest(customer, rule, severity, critical, startsAt,
                endsAt.orElseGet(() -> startsAt.plus(duration.orElseThrow())), reason).checkedAt(now, longest);
        Identity who = AccessGate.identity(ctx);
        if ((request.includesCritical() || request.severity().filter(AnomalyLevel::isCritical).isPresent())
                && !who.may(Role.ADMIN)) {
            ErrorResponses.send(ctx, 403, "forbidden", critical ? "includesCritical" : "severity",
                    "only an admin may mute critical alerts; a responder's silence mutes high and low ones");
            return;
        }
        Silence silence = silences.create(request, who.name(), now);
        LOG.info("silence {} made by {}: customer {}, rule {}, severity {}{}, {} to {}", silence.id(), who.name(),
                customer.map(CustomerId::value).orElse("any"), rule.orElse("any"),
                severity.map(AnomalyLevel::wireName).orElse("any"), critical ? " (critical too)" : "",
                request.startsAt(), request.endsAt());
        ctx.status(201).json(ApiJson.SilenceView.of(silence, now));
    }

    /** {@code POST /api/silences/{id}/end} with {@code {}}: ends the silence now; one already over is answered as it is. */
    void end(Context ctx) {
        String raw = ctx.pathParam("id");
        if (!ID.matcher(raw).matches()) {
            throw new BadParameterException("id", "id must be a silence's id (a positive number), got \""
                    + LogText.shortened(raw) + '"');
        }
        QueryParams.of(ctx, Set.of());
        if (JsonBody.object(ctx, mapper, MAX_BODY_BYTES, Set.of(), "{}").isEmpty()) {
            return;
        }
        long id = Long.parseLong(raw);
        Identity who = AccessGate.identity(ctx);
        Instant now = now();
        Optional<Silence> ended = silences.end(id, who.name(), now);
        if (ended.isEmpty()) {
            ErrorResponses.notFound(ctx, "no silence " + id + " is stored");
            return;
        }
        LOG.info("silence {} ended by {}", id, who.name());
        ctx.json(ApiJson.SilenceView.of(ended.get(), now));
    }

    /**
     * The server's time to the microsecond, as PostgreSQL stores it: a silence ended "now" is over at the
     * stored end, not a fraction of a microsecond after it (which PostgreSQL may round up).
     */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Optional<String> optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadParameterException(field, field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    /** Every silence endpoint when the dashboard was built without a silence store. */
    static void notConfigured(Context ctx) {
        ErrorResponses.send(ctx, 404, "silences_not_configured", null, "this dashboard has no silence store");
    }
}
