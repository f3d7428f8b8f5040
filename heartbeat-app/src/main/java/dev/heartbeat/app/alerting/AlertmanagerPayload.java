package dev.heartbeat.app.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heartbeat's alerts in Alertmanager's JSON. {@link #of} is a transition as the body of Alertmanager's
 * webhook (version 4), so that anything that receives Alertmanager notifications receives Heartbeat's:
 * {@code status} firing or resolved, one alert with labels (alertname = rule, customer_id, severity),
 * annotations (summary, description, provenance), {@code startsAt}/{@code endsAt} and a stable
 * fingerprint (the alert id). {@link #postable} is an alert as Alertmanager's own API v2 takes it
 * ({@code POST /api/v2/alerts}): the same labels and annotations, {@code startsAt}, {@code endsAt} and
 * {@code generatorURL}.
 */
final class AlertmanagerPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerPayload() {
    }

    static byte[] of(AlertTransition transition, String externalUrl) {
        Alert alert = transition.alert();
        String status = transition.kind() == AlertTransition.Kind.RESOLVED ? "resolved" : "firing";
        ObjectNode labels = labels(alert, alert.severity());

        ObjectNode body = JSON.createObjectNode();
        body.put("version", "4");
        body.put("groupKey", "{}:{alertname=\"" + alert.rule().name() + "\",customer_id=\"" + alert.customer().value() + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", status);
        body.put("receiver", "heartbeat");
        body.set("groupLabels", JSON.createObjectNode().put("alertname", alert.rule().name())
                .put("customer_id", alert.customer().value()));
        body.set("commonLabels", labels.deepCopy());
        body.set("commonAnnotations", JSON.createObjectNode());
        body.put("externalURL", externalUrl);

        ObjectNode item = JSON.createObjectNode();
        item.put("status", status);
        item.set("labels", labels);
        item.set("annotations", annotations(alert, summary(transition), externalUrl)
                .put("transition", transition.kind().name().toLowerCase(Locale.ROOT))
                .put("escalation_level", Integer.toString(transition.escalationLevel())));
        item.put("startsAt", alert.firedAt().toString());
        item.put("endsAt", alert.resolvedAt().map(Object::toString).orElse("0001-01-01T00:00:00Z"));
        item.put("generatorURL", link(alert, externalUrl));
        item.put("fingerprint", alert.id());
        ArrayNode alerts = body.putArray("alerts");
        alerts.add(item);
        return bytes(body);
    }

    /**
     * {@code alert} as Alertmanager's API v2 takes it, under the labels of {@code severity} (its own, or
     * a level it escalated from), ending at {@code endsAt}: in the future while it fires (Alertmanager
     * resolves an alert that is not sent again before then), its resolution once resolved.
     */
    static ObjectNode postable(Alert alert, AnomalyLevel severity, Instant endsAt, String externalUrl) {
        ObjectNode item = JSON.createObjectNode();
        item.set("labels", labels(alert, severity));
        item.set("annotations", annotations(alert, alert.isOpen()
                ? alert.severity().description() + " for " + alert.customer()
                : alert.severity().description() + " for " + alert.customer() + " resolved", externalUrl));
        item.put("startsAt", alert.firedAt().toString());
        item.put("endsAt", endsAt.toString());
        if (externalUrl.startsWith("http://") || externalUrl.startsWith("https://")) {
            // Alertmanager refuses an alert whose generatorURL is no URL (a consumer that knows no dashboard)
            item.put("generatorURL", link(alert, externalUrl));
        }
        return item;
    }

    /** A JSON array of postable alerts: the body of {@code POST /api/v2/alerts}. */
    static byte[] postables(List<ObjectNode> alerts) {
        ArrayNode array = JSON.createArrayNode();
        alerts.forEach(array::add);
        return bytes(array);
    }

    private static ObjectNode labels(Alert alert, AnomalyLevel severity) {
        return JSON.createObjectNode()
                .put("alertname", alert.rule().name())
                .put("customer_id", alert.customer().value())
                .put("severity", severity.wireName());
    }

    private static ObjectNode annotations(Alert alert, String summary, String externalUrl) {
        return JSON.createObjectNode()
                .put("summary", summary)
                .put("description", description(alert))
                .put("alert_id", alert.id())
                .put("first_reading", reading(alert.firstTriggering()))
                .put("last_reading", reading(alert.lastTriggering()))
                .put(alert.rule().above() ? "peak" : "trough", reading(alert.peak()))
                .put("rule", ruleSettings(alert))
                .put("dashboard", link(alert, externalUrl));
    }

    private static String link(Alert alert, String externalUrl) {
        return externalUrl + "/#/customer/" + URLEncoder.encode(alert.customer().value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    private static String summary(AlertTransition transition) {
        Alert alert = transition.alert();
        return switch (transition.kind()) {
            case FIRED -> alert.severity().description() + " for " + alert.customer();
            case ESCALATED -> alert.customer() + " escalated to " + alert.severity().description();
            case RESOLVED -> alert.severity().description() + " for " + alert.customer() + " resolved";
            case UNACKNOWLEDGED -> alert.severity().description() + " for " + alert.customer()
                    + " not acknowledged (escalation level " + transition.escalationLevel() + ")";
            case REPEATED -> alert.severity().description() + " for " + alert.customer() + " still firing";
        };
    }

    private static String description(Alert alert) {
        return String.format(Locale.ROOT, "%s %s: heart rate %s %d bpm since %s (%d bpm at %s)",
                alert.customer(), alert.rule().name(), alert.rule().above() ? "peaked at" : "fell to",
                alert.peak().heartRate(), alert.firstTriggering().recordedAt(), alert.lastTriggering().heartRate(),
                alert.lastTriggering().recordedAt());
    }

    private static String reading(Reading reading) {
        return reading.heartRate() + " bpm at " + reading.recordedAt() + " (" + reading.activity().wireName() + ")";
    }

    private static String ruleSettings(Alert alert) {
        StringBuilder text = new StringBuilder(alert.rule().name()).append(':');
        for (Map.Entry<AnomalyLevel, Duration> pending : alert.rule().pendingFor().entrySet()) {
            text.append(' ').append(pending.getKey().wireName()).append(" for ").append(pending.getValue().toSeconds()).append("s,");
        }
        text.append(" resolve after ").append(alert.rule().resolveAfter().toSeconds()).append('s');
        if (!alert.rule().explainedBy().isEmpty()) {
            text.append(", not during ").append(alert.rule().explainedBy().iterator().next().wireName());
        }
        return text.toString();
    }
}
