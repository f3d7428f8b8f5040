package dev.heartbeat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The API's wire format: one JSON shape per kind of value, separate from core's records so that
 * the API stays stable when core changes. Times are ISO-8601 UTC strings, except in chart series
 * where they are epoch milliseconds (what uPlot draws).
 */
final class ApiJson {

    private ApiJson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** One stored reading. */
    record ReadingView(String customer, Instant at, int heartRate, String level, String activity) {
        static ReadingView of(Reading reading) {
            return new ReadingView(reading.customerId().value(), reading.recordedAt(), reading.heartRate(),
                    reading.level().wireName(), reading.activity().wireName());
        }
    }

    /** A page of a newest-first feed; {@code next} is the cursor for the following page, or null. */
    record FeedPage<T>(Instant from, Instant to, List<T> items, String next) {
        static <T> FeedPage<T> of(TimeRange range, List<T> items, Optional<Cursor> next) {
            return new FeedPage<>(range.from(), range.to(), items, next.map(Cursor::encode).orElse(null));
        }
    }

    /** A reject with its payload as text when it is UTF-8, else as base64. */
    record RejectView(long id, Instant receivedAt, String reason, String detail, String topic, int partition,
                      long offset, String payload, String payloadEncoding, int payloadBytes, int payloadSize,
                      boolean payloadTruncated) {

        static RejectView of(StoredReject stored) {
            RejectedMessage m = stored.message();
            byte[] bytes = m.payload();
            String text;
            String encoding;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                encoding = "utf-8";
            } catch (CharacterCodingException notText) {
                text = Base64.getEncoder().encodeToString(bytes);
                encoding = "base64";
            }
            return new RejectView(stored.id(), m.receivedAt(), m.reason().code(), m.detail(), m.partition().topic(),
                    m.partition().partition(), m.offset(), text, encoding, bytes.length, m.payloadSize(),
                    m.payloadSize() > bytes.length);
        }
    }

    /**
     * An alert with its provenance: the rule and its settings, when the condition began
     * ({@code openedAt}, the first triggering reading), fired and resolved, the first and last
     * triggering readings, the most extreme reading ({@code extremeKind} peak above the normal band,
     * trough below it), the level it is at and the rule's next level it can still escalate to, and
     * the acknowledgement.
     */
    record AlertView(String id, String customer, String state, String severity, RuleView rule, Instant openedAt,
                     Instant firedAt, Instant resolvedAt, ReadingView firstTrigger, ReadingView lastTrigger,
                     String extremeKind, ReadingView extreme, EscalationView escalatesTo,
                     AcknowledgementView acknowledgement, int escalationLevel, Long silencedBy) {

        static AlertView of(StoredAlert stored) {
            return of(stored, Optional.empty());
        }

        /** The alert, and the silence that mutes it now, if one does ({@code silencedBy}, its id). */
        static AlertView of(StoredAlert stored, Optional<Silence> muting) {
            Alert a = stored.alert();
            AlertRule rule = a.rule();
            return new AlertView(a.id(), a.customer().value(), a.state().name().toLowerCase(Locale.ROOT),
                    a.severity().wireName(), RuleView.of(rule), a.firstTriggering().recordedAt(), a.firedAt(),
                    a.resolvedAt().orElse(null), ReadingView.of(a.firstTriggering()), ReadingView.of(a.lastTriggering()),
                    rule.above() ? "peak" : "trough", ReadingView.of(a.peak()),
                    a.isOpen() ? EscalationView.next(rule, a.severity()) : null,
                    stored.acknowledgement().map(AcknowledgementView::of).orElse(null), stored.escalationLevel(),
                    muting.map(Silence::id).orElse(null));
        }
    }

    /**
     * A silence: its matchers (absent ones match any), whether it mutes critical alerts too, its period
     * ({@code over}: when it stops muting, its end or when someone ended it), its state at {@code now}
     * ({@code scheduled}, {@code active}, {@code over}), the reason and who made and ended it.
     */
    record SilenceView(long id, String customer, String rule, String severity, boolean includesCritical,
                       Instant startsAt, Instant endsAt, Instant over, String state, String reason, String createdBy,
                       Instant createdAt, Instant endedAt, String endedBy) {
        static SilenceView of(Silence silence, Instant now) {
            var r = silence.request();
            String state = silence.isOverAt(now) ? "over" : silence.inEffectAt(now) ? "active" : "scheduled";
            return new SilenceView(silence.id(), r.customer().map(CustomerId::value).orElse(null), r.rule().orElse(null),
                    r.severity().map(AnomalyLevel::wireName).orElse(null), r.includesCritical(), r.startsAt(), r.endsAt(),
                    silence.over(), state, r.reason(), silence.createdBy(), silence.createdAt(),
                    silence.endedAt().orElse(null), silence.endedBy().orElse(null));
        }
    }

    /** A rule's settings: its side of the normal band, its levels (mildest first) with their pending periods. */
    record RuleView(String name, String side, List<RuleLevelView> levels, double resolveAfterSeconds,
                    List<String> explainedBy) {
        static RuleView of(AlertRule rule) {
            List<RuleLevelView> levels = rule.pendingFor().entrySet().stream()
                    .sorted(Comparator.comparingInt(e -> e.getKey().severity()))
                    .map(e -> new RuleLevelView(e.getKey().wireName(), seconds(e.getValue())))
                    .toList();
            return new RuleView(rule.name(), rule.above() ? "above" : "below", levels, seconds(rule.resolveAfter()),
                    rule.explainedBy().stream().sorted().map(Activity::wireName).toList());
        }
    }

    record RuleLevelView(String level, double pendingSeconds) {
    }

    /** The rule's next more severe level than the alert's, and how long it must hold to escalate. */
    record EscalationView(String level, double pendingSeconds) {
        static EscalationView next(AlertRule rule, AnomalyLevel current) {
            return rule.pendingFor().entrySet().stream()
                    .filter(e -> e.getKey().severity() > current.severity())
                    .min(Comparator.comparingInt(e -> e.getKey().severity()))
                    .map(e -> new EscalationView(e.getKey().wireName(), seconds(e.getValue())))
                    .orElse(null);
        }
    }

    record AcknowledgementView(String by, Instant at, String note) {
        static AcknowledgementView of(Acknowledgement ack) {
            return new AcknowledgementView(ack.by(), ack.at(), ack.note().orElse(null));
        }
    }

    /** Every level's value, keyed by wire name, in band order (critical_low first). */
    static <V> Map<String, V> byLevel(Function<AnomalyLevel, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        for (AnomalyLevel level : AnomalyLevel.values()) {
            map.put(level.wireName(), value.apply(level));
        }
        return map;
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Rounds for display; keeps the JSON short without losing anything a chart can show. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
