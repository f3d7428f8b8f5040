package dev.heartbeat.app.runtime;

import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.web.DashboardSettings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one process, parsed once from the command line and the environment:
 * which parts run (a part runs when its settings are present) and how.
 *
 * @param kafka      the cluster (needed to produce or consume; optional for the dashboard, for lag)
 * @param database   the store (needed to consume or serve the dashboard)
 * @param produce    the simulation to publish, with its seed and how many readings at most
 * @param ingestThreads how many ingest threads this process runs (0: it does not consume)
 * @param web        the dashboard's settings, when it serves one
 * @param probes     where to serve /health and /metrics when there is no dashboard
 * @param alertDashboardUrl where the links in alert payloads point (default: this process's dashboard)
 */
public record HeartbeatConfig(Optional<KafkaSettings> kafka, Optional<PostgresSettings> database,
                              Optional<Simulation> produce, int ingestThreads, Optional<DashboardSettings> web,
                              Optional<ProbeAddress> probes, List<AlertRule> alertRules, Optional<URI> alertWebhook,
                              Duration alertWebhookTimeout, Optional<URI> alertDashboardUrl, ValidationPolicy validation) {

    /** A simulation to publish: its settings, seed, pace and limit. */
    public record Simulation(SimulationSettings settings, long seed, boolean flatOut, long maxReadings) {
        public Simulation {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Where the probe server listens. */
    public record ProbeAddress(String bind, int port) {
    }

    public HeartbeatConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(produce, "produce");
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(probes, "probes");
        alertRules = List.copyOf(alertRules);
        Objects.requireNonNull(alertWebhook, "alertWebhook");
        Objects.requireNonNull(alertWebhookTimeout, "alertWebhookTimeout");
        Objects.requireNonNull(alertDashboardUrl, "alertDashboardUrl");
        Objects.requireNonNull(validation, "validation");
        if (ingestThreads < 0) {
            throw new IllegalArgumentException("ingest threads must be >= 0, got " + ingestThreads);
        }
        if ((consumes() || produce.isPresent()) && kafka.isEmpty()) {
            throw new IllegalArgumentException("producing or consuming needs Kafka settings");
        }
        if ((consumes() || web.isPresent()) && database.isEmpty()) {
            throw new IllegalArgumentException("consuming or serving the dashboard needs database settings");
        }
    }

    /** Whether this process ingests. */
    public boolean consumes() {
        return ingestThreads > 0;
    }
}
