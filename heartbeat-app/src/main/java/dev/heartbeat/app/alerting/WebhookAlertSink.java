package dev.heartbeat.app.alerting;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.port.AlertSink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Posts each alert transition to an HTTP endpoint as an Alertmanager-style webhook payload. One
 * attempt per call, bounded by {@code timeout}; any answer but 2xx is a failure, which the
 * {@link dev.heartbeat.core.delivery.AlertDispatcher} retries from the outbox with back-off.
 *
 * <p>A webhook URL often carries its secret in the path (Slack, Teams, PagerDuty) or the query, so
 * the URL is never written into a message: failures name it {@link #redacted(URI) redacted}, and those
 * messages are what the outbox stores as the last delivery error.
 */
public final class WebhookAlertSink implements AlertSink {

    private final URI endpoint;
    private final String shown;
    private final Duration timeout;
    private final String externalUrl;
    private final HttpClient client;

    public WebhookAlertSink(URI endpoint, Duration timeout, String externalUrl) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.shown = redacted(endpoint);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.externalUrl = Objects.requireNonNull(externalUrl, "externalUrl");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(AlertTransition transition) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "heartbeat-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AlertmanagerPayload.of(transition, externalUrl)))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new HeartbeatException("webhook " + shown + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage().replace(endpoint.toString(), shown)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeartbeatException("interrupted while posting to webhook " + shown);
        }
        if (response.statusCode() / 100 != 2) {
            throw new HeartbeatException("webhook " + shown + " answered HTTP " + response.statusCode());
        }
    }

    /**
     * The URL as it may be shown: scheme, host and port only; a path, query or user part is replaced by
     * {@code /...}, since any of them may be the secret.
     */
    public static String redacted(URI url) {
        String authority = url.getHost() == null ? "" : url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        boolean hidden = url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                || (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"));
        return url.getScheme() + "://" + authority + (hidden ? "/..." : "");
    }

    @Override
    public String toString() {
        return "WebhookAlertSink[" + shown + "]";
    }

    @Override
    public String name() {
        return "webhook";
    }
}
