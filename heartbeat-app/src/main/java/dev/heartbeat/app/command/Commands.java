package dev.heartbeat.app.command;

import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.ProbeOptions;
import dev.heartbeat.app.options.WebOptions;
import dev.heartbeat.app.runtime.FirstAdmin;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Wiring;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.app.runtime.KafkaCluster;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaSettings;

import java.time.Duration;
import java.util.Optional;

/** What several commands do alike when turning options into settings. */
final class Commands {

    static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    /** How often the status line is printed unless --status-every says otherwise. */
    static final Duration STATUS_EVERY = Duration.ofSeconds(10);

    private Commands() {
    }

    /** The Kafka settings for the cluster at {@code bootstrap}, which must answer within 30 s. */
    static KafkaSettings kafka(KafkaOptions options, String bootstrap) {
        KafkaCluster.Facts cluster = KafkaCluster.facts(bootstrap, options.topic(), options.clientProperties(), KAFKA_WAIT);
        return options.settings(bootstrap, cluster.brokers(), cluster.topic());
    }

    static ValidationPolicy validation(DatabaseOptions database) {
        return ValidationPolicy.withMaxAge(database.retention());
    }

    static HeartbeatConfig.Alerting alerting(AlertOptions alerts) {
        return new HeartbeatConfig.Alerting(alerts.rules(), alerts.webhook(), alerts.webhookTimeout(), alerts.dashboardUrl(),
                alerts.alertmanager(), alerts.reminders());
    }

    static Optional<HeartbeatConfig.ProbeAddress> probes(ProbeOptions probes) {
        return probes.port().isPresent()
                ? Optional.of(new HeartbeatConfig.ProbeAddress(probes.bind(), probes.port().getAsInt()))
                : Optional.empty();
    }


    /** The first admin a dashboard makes while it has no accounts: the one configured, if any. */
    static Optional<FirstAdmin> firstAdmin(WebOptions web) {
        String name = web.firstAdminName();
        return web.firstAdminPassword().map(password -> new FirstAdmin(name, Optional.of(password), Optional.empty()));
    }

    /** The database the options name, connected (it must answer within its server wait). */
    static PostgresDatabase connect(DatabaseOptions database) {
        Infrastructure servers = Infrastructure.given(Optional.empty(), Optional.of(database));
        return Wiring.connect(database.settings(servers.jdbcUrl(), "postgres"));
    }
}
