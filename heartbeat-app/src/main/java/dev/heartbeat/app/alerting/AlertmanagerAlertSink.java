package dev.heartbeat.app.alerting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.reading.AnomalyLevel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Hands alerts to Alertmanager through its own API ({@code POST /api/v2/alerts}), which then routes,
 * groups, inhibits, silences and notifies (email, chat, on-call) as its configuration says.
 *
 * <p>Alertmanager's contract is Prometheus': a firing alert carries an {@code endsAt} in the near future
 * and is sent again before then, or Alertmanager resolves it by itself; a resolved one carries its
 * resolution as {@code endsAt}. So each transition is posted as it happens ({@link #deliver}, from the
 * outbox), and every open alert is posted again every {@link #RESEND} ({@link #resend}), with an
 * {@code endsAt} four of those ahead, as Prometheus does. An escalation changes the {@code severity}
 * label, and so the alert Alertmanager sees: the alert under the rule's other levels is posted resolved
 * with it. The labels are {@code alertname} (the rule), {@code customer_id} and {@code severity}; the
 * annotations carry the provenance and the dashboard link.
 */
public final class AlertmanagerAlertSink implements AlertSink {

    /** How often open alerts are sent again. */
    public static final Duration RESEND = Duration.ofMinutes(1);
    /** At most this many alerts in one request. */
    static final int MAX_PER_REQUEST = 500;

    private final URI endpoint;
    private final String base;
    private final String shown;
    private final Duration timeout;
    private final String externalUrl;
    private final Clock clock;
    private final HttpClient client;

    /**
     * @param alertmanager Alertmanager's base URL (for example {@code http://alertmanager:9093})
     * @param externalUrl  the dashboard's address as the receivers reach it, for the links
     */
    public AlertmanagerAlertSink(URI alertmanager, Duration timeout, String externalUrl, Clock clock) {
        Objects.requireNonNull(alertmanager, "alertmanager");
        this.base = alertmanager.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/api/v2/alerts");
        this.shown = WebhookAlertSink.redacted(alertmanager);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.externalUrl = Objects.requireNonNull(externalUrl, "externalUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(AlertTransition transition) {
        Alert alert = transition.alert();
        Instant now = clock.instant();
        List<ObjectNode> alerts = new ArrayList<>();
        switch (transition.kind()) {
            // Alertmanager repeats and escalates as its routes say: a reminder only keeps the alert firing there
            case FIRED, UNACKNOWLEDGED, REPEATED ->
                    alerts.add(AlertmanagerPayload.postable(alert, alert.severity(), firingUntil(now), externalUrl));
            case ESCALATED -> {
                alerts.add(AlertmanagerPayload.postable(alert, alert.severity(), firingUntil(now), externalUrl));
                for (AnomalyLevel level : alert.rule().pendingFor().keySet()) {
                    if (level != alert.severity()) {
                        alerts.add(AlertmanagerPayload.postable(alert, level, transition.at(), externalUrl));
                    }
                }
            }
            case RESOLVED -> alerts.add(AlertmanagerPayload.postable(alert, alert.severity(),
                    alert.resolvedAt().orElse(transition.at()), externalUrl));
        }
        post(alerts);
    }

    /** Sends every open alert again, so that Alertmanager keeps them firing. */
    public void resend(List<Alert> open) {
        Instant until = firingUntil(clock.instant());
        List<ObjectNode> batch = new ArrayList<>();
        for (Alert alert : open) {
            if (!alert.isOpen()) {
                continue;
            }
            batch.add(AlertmanagerPayload.postable(alert, alert.severity(), until, externalUrl));
            if (batch.size() == MAX_PER_REQUEST) {
                post(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            post(batch);
        }
    }

    private static Instant firingUntil(Instant now) {
        return now.plus(RESEND.multipliedBy(4));
    }

    private void post(List<ObjectNode> alerts) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "heartbeat-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AlertmanagerPayload.postables(alerts)))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the URL may carry credentials: never repeated, not even inside the client's own message
            throw new HeartbeatException("Alertmanager " + shown + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage().replace(endpoint.toString(), shown)
                            .replace(base, shown)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeartbeatException("interrupted while posting to Alertmanager " + shown);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            throw new HeartbeatException("Alertmanager " + shown + " answered HTTP " + response.statusCode()
                    + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)));
        }
    }

    @Override
    public String name() {
        return "alertmanager";
    }

    @Override
    public String toString() {
        return "AlertmanagerAlertSink[" + shown + "]";
    }
}
