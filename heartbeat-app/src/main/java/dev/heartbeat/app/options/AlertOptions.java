package dev.heartbeat.app.options;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The alert rules' timings and where alerts are delivered. */
public final class AlertOptions {

    @Option(names = "--alert-critical-pending", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a customer must stay critical before an alert fires (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_CRITICAL_PENDING).")
    Duration criticalPending;

    @Option(names = "--alert-pending", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long a customer must stay low or high before an alert fires (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_PENDING).")
    Duration pending;

    @Option(names = "--alert-resolve-after", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long back out of the band before an alert resolves (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_RESOLVE_AFTER).")
    Duration resolveAfter;

    @Option(names = "--alert-escalate-after", defaultValue = "15m", converter = DurationConverter.class,
            description = "A firing alert nobody acknowledges is sent again, one escalation level up, this long after it "
                    + "fired and every such interval after; 0 = never (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_ESCALATE_AFTER).")
    Duration escalateAfter;

    @Option(names = "--alert-repeat-every", defaultValue = "1h", converter = DurationConverter.class,
            description = "A firing alert nobody acknowledges is sent again when this long has passed since it was last "
                    + "sent; 0 = never (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_REPEAT_EVERY).")
    Duration repeatEvery;

    @Option(names = "--alert-webhook-url", paramLabel = "URL",
            description = "POST alerts here as Alertmanager webhook payloads (env HEARTBEAT_ALERT_WEBHOOK_URL). Alerts are always logged.")
    String webhookUrl;

    @Option(names = "--alertmanager-url", paramLabel = "URL",
            description = "Hand alerts to this Alertmanager through its API v2, sent again every minute while they fire, "
                    + "for routing, grouping, silences and notifications (env HEARTBEAT_ALERTMANAGER_URL).")
    String alertmanagerUrl;

    @Option(names = "--alert-dashboard-url", paramLabel = "URL",
            description = "The dashboard's address as the alerts' receivers reach it, for the links in webhook payloads "
                    + "(default: this process's own dashboard, if it serves one; env HEARTBEAT_ALERT_DASHBOARD_URL).")
    String dashboardUrl;

    @Option(names = "--alert-webhook-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "Timeout of one webhook delivery (default ${DEFAULT-VALUE}; env HEARTBEAT_ALERT_WEBHOOK_TIMEOUT).")
    Duration webhookTimeout;

    /** The two rules with these timings. */
    public List<AlertRule> rules() {
        try {
            return List.of(
                    new AlertRule("tachycardia", Map.of(AnomalyLevel.HIGH, pending, AnomalyLevel.CRITICAL_HIGH, criticalPending),
                            resolveAfter, Set.of(Activity.EXERCISE)),
                    new AlertRule("bradycardia", Map.of(AnomalyLevel.LOW, pending, AnomalyLevel.CRITICAL_LOW, criticalPending),
                            resolveAfter, Set.of(Activity.REST)));
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** When unacknowledged firing alerts are sent again. */
    public Reminders reminders() {
        return new Reminders(escalateAfter, repeatEvery);
    }

    public Optional<URI> webhook() {
        return httpUrl("--alert-webhook-url", webhookUrl);
    }

    public Optional<URI> alertmanager() {
        return httpUrl("--alertmanager-url", alertmanagerUrl);
    }

    /** Where the links in alert payloads point, without a trailing slash, when one was given. */
    public Optional<URI> dashboardUrl() {
        return httpUrl("--alert-dashboard-url", dashboardUrl == null ? null : dashboardUrl.replaceAll("/+$", ""));
    }

    private static Optional<URI> httpUrl(String option, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // the value itself is never repeated in the message: a webhook URL may carry a secret
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(option + " is not a URL: " + e.getReason() + " at index " + e.getIndex());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigurationException(option + " must be an http(s) URL with a host");
        }
        return Optional.of(uri);
    }

    public Duration webhookTimeout() {
        return webhookTimeout;
    }
}
