package dev.heartbeat.web;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Probes and metrics for the machines around the dashboard: liveness, readiness, Prometheus. */
final class HealthApi {

    private static final Logger LOG = LoggerFactory.getLogger(HealthApi.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final BooleanSupplier readiness;
    private final Supplier<String> metrics;

    HealthApi(BooleanSupplier readiness, Supplier<String> metrics) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    record Status(String status) {
    }

    /** {@code GET /health/live}: 200 while the process serves requests at all. */
    void live(Context ctx) {
        ctx.json(new Status("live"));
    }

    /** {@code GET /health/ready}: 200 when the app says it is ready (its dependencies answer), else 503. */
    void ready(Context ctx) {
        boolean ready;
        try {
            ready = readiness.getAsBoolean();
        } catch (RuntimeException checkFailed) {
            LOG.warn("readiness check failed: {}", checkFailed.toString());
            ready = false;
        }
        ctx.status(ready ? 200 : 503).json(new Status(ready ? "ready" : "not_ready"));
    }

    /** {@code GET /metrics}: the app's metrics in the Prometheus text format. */
    void metrics(Context ctx) {
        String text = metrics.get();
        ctx.contentType(PROMETHEUS_TEXT).result(text == null ? "" : text);
    }
}
