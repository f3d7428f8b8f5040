package dev.heartbeat.app.runtime;

import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.web.DashboardSettings;

import dev.heartbeat.app.alerting.WebhookAlertSink;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one process, parsed once from the command line and the environment:
 * which parts run (a part runs when its settings are present) and how. Assembled with
 * {@link #builder()}; what is not set is absent (or, for alerting and validation, the defaults).
 *
 * @param kafka      the cluster (needed to produce or consume; optional for the dashboard, for lag)
 * @param database   the store (needed to consume or serve the dashboard)
 * @param produce    the simulation to publish, with its seed and how many readings at most
 * @param ingestThreads how many ingest threads this process runs (0: it does not consume)
 * @param replaceTopic whether positions stored for a deleted and remade topic of the same name are forgotten
 *                     (each recorded as a gap) instead of stopping ingestion
 * @param web        the dashboard's settings, when it serves one
 * @param probes     where to serve /health and /metrics when there is no dashboard
 * @param alerting   the alert rules and where alerts are delivered
 * @param validation what the consumer accepts
 * @param firstAdmin the admin to make when the dashboard has no accounts yet
 */
public record HeartbeatConfig(Optional<KafkaSettings> kafka, Optional<PostgresSettings> database,
                              Optional<Simulation> produce, int ingestThreads, boolean replaceTopic,
                              Optional<DashboardSettings> web,
                              Optional<ProbeAddress> probes, Alerting alerting, ValidationPolicy validation,
                              Optional<FirstAdmin> firstAdmin) {

    /** A simulation to publish: its settings, seed, pace and limit. */
    public record Simulation(SimulationSettings settings, long seed, boolean flatOut, long maxReadings) {
        public Simulation {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Where the probe server listens. */
    public record ProbeAddress(String bind, int port) {
    }

    /**
     * The alert rules and where alerts go.
     *
     * @param rules        the rules every ingest thread evaluates
     * @param webhook      where alerts are posted, if anywhere (they are always logged)
     * @param webhookTimeout how long one delivery may take
     * @param dashboardUrl where the links in alert payloads point (default: this process's dashboard)
     * @param alertmanager the Alertmanager alerts are handed to through its API, if any
     * @param reminders    when unacknowledged firing alerts are sent again
     */
    public record Alerting(List<AlertRule> rules, Optional<URI> webhook, Duration webhookTimeout, Optional<URI> dashboardUrl,
                           Optional<URI> alertmanager, Reminders reminders) {

        /** The default rules and reminders, logged only. */
        public static final Alerting DEFAULTS = new Alerting(AlertRule.defaults(), Optional.empty(), Duration.ofSeconds(5),
                Optional.empty(), Optional.empty(), Reminders.DEFAULTS);

        public Alerting {
            rules = List.copyOf(rules);
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(webhookTimeout, "webhookTimeout");
            Objects.requireNonNull(dashboardUrl, "dashboardUrl");
            Objects.requireNonNull(alertmanager, "alertmanager");
            Objects.requireNonNull(reminders, "reminders");
        }

        /** The webhook URL may carry a secret: it is shown redacted. */
        @Override
        public String toString() {
            return "Alerting[rules=" + rules + ", webhook=" + webhook.map(WebhookAlertSink::redacted).orElse("(none)")
                    + ", webhookTimeout=" + webhookTimeout + ", dashboardUrl=" + dashboardUrl.map(URI::toString).orElse("(none)")
                    + ", alertmanager=" + alertmanager.map(WebhookAlertSink::redacted).orElse("(none)")
                    + ", reminders=" + reminders + "]";
        }
    }

    public HeartbeatConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(produce, "produce");
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(alerting, "alerting");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(firstAdmin, "firstAdmin");
        if (ingestThreads < 0) {
            throw new IllegalArgumentException("ingest threads must be >= 0, got " + ingestThreads);
        }
        // the fields are not assigned yet inside this constructor: consumes() would read 0 here
        boolean consumes = ingestThreads > 0;
        if ((consumes || produce.isPresent()) && kafka.isEmpty()) {
            throw new IllegalArgumentException("producing or consuming needs Kafka settings");
        }
        if ((consumes || web.isPresent()) && database.isEmpty()) {
            throw new IllegalArgumentException("consuming or serving the dashboard needs database settings");
        }
    }

    /** A configuration that runs nothing yet: set the parts this process runs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether this process ingests. */
    public boolean consumes() {
        return ingestThreads > 0;
    }

    /** Assembles a {@link HeartbeatConfig} part by part; {@link #build()} checks that the parts fit together. */
    public static final class Builder {

        private Optional<KafkaSettings> kafka = Optional.empty();
        private Optional<PostgresSettings> database = Optional.empty();
        private Optional<Simulation> produce = Optional.empty();
        private int ingestThreads;
        private boolean replaceTopic;
        private Optional<DashboardSettings> web = Optional.empty();
        private Optional<ProbeAddress> probes = Optional.empty();
        private Alerting alerting = Alerting.DEFAULTS;
        private ValidationPolicy validation = ValidationPolicy.defaults();
        private Optional<FirstAdmin> firstAdmin = Optional.empty();

        private Builder() {
        }

        public Builder kafka(KafkaSettings settings) {
            return kafka(Optional.of(settings));
        }

        /** The cluster, when there may be none (the dashboard reads lag from it if present). */
        public Builder kafka(Optional<KafkaSettings> settings) {
            this.kafka = Objects.requireNonNull(settings, "kafka");
            return this;
        }

        public Builder database(PostgresSettings settings) {
            this.database = Optional.of(settings);
            return this;
        }

        /** Publish this simulation. */
        public Builder produce(Simulation simulation) {
            this.produce = Optional.of(simulation);
            return this;
        }

        /** Consume with this many ingest threads. */
        public Builder consume(int threads) {
            return consume(threads, false);
        }

        /** Consume with this many ingest threads, replacing the positions of a remade topic if {@code replaceTopic}. */
        public Builder consume(int threads, boolean replaceTopic) {
            this.ingestThreads = threads;
            this.replaceTopic = replaceTopic;
            return this;
        }

        /** Serve the dashboard. */
        public Builder web(DashboardSettings settings) {
            this.web = Optional.of(settings);
            return this;
        }

        /** Serve /health and /metrics there (no dashboard), when present. */
        public Builder probes(Optional<ProbeAddress> address) {
            this.probes = Objects.requireNonNull(address, "probes");
            return this;
        }

        public Builder alerting(Alerting alerting) {
            this.alerting = Objects.requireNonNull(alerting, "alerting");
            return this;
        }

        public Builder validation(ValidationPolicy validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /** Make this admin when the dashboard has no accounts yet, when present. */
        public Builder firstAdmin(Optional<FirstAdmin> admin) {
            this.firstAdmin = Objects.requireNonNull(admin, "firstAdmin");
            return this;
        }

        public HeartbeatConfig build() {
            return new HeartbeatConfig(kafka, database, produce, ingestThreads, replaceTopic, web, probes, alerting, validation, firstAdmin);
        }
    }
}
