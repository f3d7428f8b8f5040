package dev.heartbeat.app.observability;


import java.time.Clock;

/** Test access: registers the ingest meters as the consumer does. */
public final class IngestMetricsAccess {

    private IngestMetricsAccess() {
    }

    public static void register(Metrics metrics, Clock clock) {
        new IngestMetrics(metrics.registry(), clock);
    }
}
