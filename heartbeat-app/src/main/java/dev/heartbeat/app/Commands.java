package dev.heartbeat.app;

import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.runtime.KafkaCluster;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaSettings;

import java.time.Duration;

/** What several commands do alike when turning options into settings. */
final class Commands {

    static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    private Commands() {
    }

    /** The Kafka settings for the cluster at {@code bootstrap}, which must answer within 30 s. */
    static KafkaSettings kafka(KafkaOptions options, String bootstrap) {
        int brokers = KafkaCluster.brokers(bootstrap, options.clientProperties(), KAFKA_WAIT);
        return options.settings(bootstrap, brokers);
    }

    static ValidationPolicy validation(DatabaseOptions database) {
        return ValidationPolicy.withMaxAge(database.retention());
    }

}
