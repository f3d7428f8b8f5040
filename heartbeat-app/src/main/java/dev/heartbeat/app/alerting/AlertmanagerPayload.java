package dev.heartbeat.app.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * An alert transition as the JSON body of Alertmanager's webhook (version 4), so that anything
 * that receives Alertmanager notifications receives Heartbeat's: {@code status} firing or
 * resolved, one alert with labels (alertname = rule, customer_id, severity), annotations
 * (summary, description, provenance), {@code startsAt}/{@code endsAt} and a stable fingerprint
 * (the alert id).
 */
final class AlertmanagerPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerPayload() {
    }

    static byte[] of(AlertTransition transition, String externalUrl) {
        Alert alert = transition.alert();
        String status = transition.kind() == AlertTransition.Kind.RESOLVED ? "resolved" : "firing";
        ObjectNode labels = JSON.createObjectNode()
                .put("alertname", alert.rule().name())
                .put("customer_id", alert.customer().value())
                .put("severity", alert.severity().wireName());

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
        ObjectNode annotations = JSON.createObjectNode()
                .put("summary", summary(transition))
                .put("description", description(alert))
                .put("transition", transition.kind().name().toLowerCase(Locale.ROOT))
                .put("first_reading", reading(alert.firstTriggering()))
                .put("last_reading", reading(alert.lastTriggering()))
                .put(alert.rule().above() ? "peak" : "trough", reading(alert.peak()))
                .put("rule", ruleSettings(alert));
        item.set("annotations", annotations);
        item.put("startsAt", alert.firedAt().toString());
        item.put("endsAt", alert.resolvedAt().map(Object::toString).orElse("0001-01-01T00:00:00Z"));
        item.put("generatorURL", externalUrl + "/#/customer/" + java.net.URLEncoder.encode(alert.customer().value(), java.nio.charset.StandardCharsets.UTF_8));
        item.put("fingerprint", alert.id());
        ArrayNode alerts = body.putArray("alerts");
        alerts.add(item);
        try {
            return JSON.writeValueAsBytes(body);
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
