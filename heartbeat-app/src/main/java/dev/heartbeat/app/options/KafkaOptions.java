package dev.heartbeat.app.options;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.TopicReplication;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How to reach Kafka: the cluster, the topic and its settings, the consumer group and security. */
public final class KafkaOptions {

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env HEARTBEAT_KAFKA_BOOTSTRAP). The demo starts an embedded broker when unset.")
    String bootstrap;

    @Option(names = "--kafka-topic", defaultValue = KafkaSettings.DEFAULT_TOPIC,
            description = "Topic of the readings (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_TOPIC).")
    String topic;

    @Option(names = "--kafka-partitions", defaultValue = "3",
            description = "Partitions of the topic when it is created: the unit of parallelism (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_PARTITIONS).")
    int partitions;

    @Option(names = "--kafka-replication-factor", defaultValue = "0",
            description = "Replicas of each partition; 0 = as the existing topic has it, else 3, or fewer when the cluster has fewer brokers (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_REPLICATION_FACTOR).")
    short replicationFactor;

    @Option(names = "--kafka-min-insync-replicas", defaultValue = "0",
            description = "min.insync.replicas of the topic; 0 = as the existing topic has it, else 2 with three or more replicas, else 1 (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_MIN_INSYNC_REPLICAS).")
    int minInsyncReplicas;

    @Option(names = "--kafka-group", defaultValue = KafkaSettings.DEFAULT_GROUP_ID,
            description = "Consumer group: consumers in one group share the partitions (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_GROUP).")
    String group;

    @Option(names = "--kafka-security-protocol", defaultValue = "PLAINTEXT",
            description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_SECURITY_PROTOCOL).")
    String securityProtocol;

    @Option(names = "--kafka-sasl-mechanism", defaultValue = "SCRAM-SHA-512",
            description = "SASL mechanism: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (default ${DEFAULT-VALUE}; env HEARTBEAT_KAFKA_SASL_MECHANISM).")
    String saslMechanism;

    @Option(names = "--kafka-username", description = "SASL user name (env HEARTBEAT_KAFKA_USERNAME).")
    String username;

    @Option(names = "--kafka-password", description = "SASL password (env HEARTBEAT_KAFKA_PASSWORD or HEARTBEAT_KAFKA_PASSWORD_FILE). Never printed.")
    String password;

    @Option(names = "--kafka-truststore", paramLabel = "FILE",
            description = "Trust store (PKCS12 or JKS) for SSL/SASL_SSL (env HEARTBEAT_KAFKA_TRUSTSTORE).")
    String truststore;

    @Option(names = "--kafka-truststore-password", description = "Trust store password (env HEARTBEAT_KAFKA_TRUSTSTORE_PASSWORD or _FILE).")
    String truststorePassword;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Any further Kafka client property, repeatable (env HEARTBEAT_KAFKA_PROPERTY, comma-separated).", split = ",")
    List<String> properties = List.of();

    public Optional<String> bootstrap() {
        return Optional.ofNullable(bootstrap).filter(b -> !b.isBlank());
    }

    /**
     * The settings for {@code bootstrapServers}. What the operator left at 0 follows the existing topic
     * (so that a restart while a broker is down works with the topic as it is), and for a topic still to
     * be created the {@code brokers} that answer now: 3 replicas, or as many as there are brokers when fewer.
     */
    public KafkaSettings settings(String bootstrapServers, int brokers, Optional<TopicReplication> existing) {
        short replicas = replicationFactor > 0 ? replicationFactor
                : existing.map(TopicReplication::factor)
                        .orElse((short) Math.max(1, Math.min(3, brokers)));
        int minIsr = minInsyncReplicas > 0 ? minInsyncReplicas
                : existing.filter(topic -> topic.factor() == replicas).map(TopicReplication::minInsyncReplicas)
                        .orElse(replicas >= 3 ? 2 : 1);
        try {
            return KafkaSettings.defaults(bootstrapServers)
                    .withTopic(topic, partitions)
                    .withReplication(replicas, minIsr)
                    .withGroup(group, KafkaSettings.DEFAULT_CLIENT_ID)
                    .withClientProperties(clientProperties());
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** The security settings and extra properties, as Kafka client properties. */
    public Map<String, String> clientProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        String protocol = securityProtocol.toUpperCase(Locale.ROOT);
        if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
            throw new ConfigurationException("--kafka-security-protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got "
                    + securityProtocol);
        }
        props.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            if (username == null || password == null) {
                throw new ConfigurationException("--kafka-security-protocol " + protocol
                        + " needs --kafka-username and --kafka-password (or HEARTBEAT_KAFKA_USERNAME and HEARTBEAT_KAFKA_PASSWORD)");
            }
            String mechanism = saslMechanism.toUpperCase(Locale.ROOT);
            String module = switch (mechanism) {
                case "SCRAM-SHA-512", "SCRAM-SHA-256" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                default -> throw new ConfigurationException("--kafka-sasl-mechanism must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN, got "
                        + saslMechanism);
            };
            props.put("sasl.mechanism", mechanism);
            props.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(username)
                    + "\" password=\"" + jaasEscape(password) + "\";");
        }
        if (truststore != null) {
            props.put("ssl.truststore.location", truststore);
            if (truststorePassword != null) {
                props.put("ssl.truststore.password", truststorePassword);
            }
        }
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new ConfigurationException("--kafka-property must be KEY=VALUE, got " + property);
            }
            props.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
        }
        return props;
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The topic of the readings. */
    public String topic() {
        return topic;
    }

    /** Partitions of the topic when it is created (and of the in-memory bus). */
    public int partitions() {
        return partitions;
    }
}
