package dev.heartbeat.kafka;

import dev.heartbeat.core.InvalidValueException;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the Kafka adapter needs to know, parsed once by the application and validated here.
 *
 * <p>The topic is described by {@code topic}, {@code partitions}, {@code replicationFactor} and
 * {@code minInsyncReplicas}; {@link KafkaTopicAdmin} creates it with exactly these and refuses to run
 * against an existing topic that differs. The consumer side uses {@code groupId} and
 * {@code maxPollRecords} (the largest batch handed to the store); the producer side {@code linger},
 * {@code batchSizeBytes}, {@code compressionType} and {@code deliveryTimeout} (how long a reading may
 * take to be acknowledged before its publish fails). {@code adminTimeout} bounds every administrative
 * call and the wait for a new topic to become ready.
 *
 * <p>{@code clientProperties} are passed to every client (producer, consumer, admin) as they are, so
 * that security ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) and further tuning
 * ({@code fetch.min.bytes}, ...) are a configuration away. The properties the adapter's guarantees
 * rest on cannot be overridden there (see {@link #RESERVED_PROPERTIES}).
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        int partitions,
        short replicationFactor,
        int minInsyncReplicas,
        String groupId,
        String clientId,
        int maxPollRecords,
        Duration linger,
        int batchSizeBytes,
        String compressionType,
        Duration deliveryTimeout,
        Duration adminTimeout,
        Map<String, String> clientProperties) {

    public static final String DEFAULT_TOPIC = "heartbeat-data";
    public static final int DEFAULT_PARTITIONS = 3;
    public static final String DEFAULT_GROUP_ID = "heartbeat-ingest";
    public static final String DEFAULT_CLIENT_ID = "heartbeat";
    public static final int DEFAULT_MAX_POLL_RECORDS = 5_000;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(10);
    public static final int DEFAULT_BATCH_SIZE_BYTES = 128 * 1024;
    public static final String DEFAULT_COMPRESSION = "lz4";
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Client properties the adapter sets itself because its guarantees depend on them (idempotence,
     * acks=all, manual commits, byte serialisation) or because a field of this record carries them.
     */
    public static final Set<String> RESERVED_PROPERTIES = Set.of(
            "bootstrap.servers", "client.id", "group.id",
            "enable.idempotence", "acks", "enable.auto.commit", "isolation.level", "auto.offset.reset",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "max.poll.records", "linger.ms", "batch.size", "compression.type", "delivery.timeout.ms",
            "transactional.id");

    private static final Set<String> COMPRESSION_TYPES = Set.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaSettings {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(topic, "topic");
        requireText(groupId, "groupId");
        requireText(clientId, "clientId");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(compressionType, "compressionType");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(adminTimeout, "adminTimeout");
        Objects.requireNonNull(clientProperties, "clientProperties");
        if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new InvalidValueException("topic must be 1-249 characters from [a-zA-Z0-9._-] and not . or .., got \""
                    + topic + '"');
        }
        if (partitions < 1) {
            throw new InvalidValueException("partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new InvalidValueException("replication factor must be >= 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new InvalidValueException("min.insync.replicas must be 1-" + replicationFactor
                    + " (the replication factor), got " + minInsyncReplicas);
        }
        if (maxPollRecords < 1) {
            throw new InvalidValueException("max poll records must be >= 1, got " + maxPollRecords);
        }
        if (linger.isNegative() || linger.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidValueException("linger must be 0 ms or more, got " + linger);
        }
        if (batchSizeBytes < 0) {
            throw new InvalidValueException("batch size must be >= 0 bytes, got " + batchSizeBytes);
        }
        if (!COMPRESSION_TYPES.contains(compressionType)) {
            throw new InvalidValueException("compression type must be one of none, gzip, snappy, lz4, zstd, got \""
                    + compressionType + '"');
        }
        if (deliveryTimeout.toMillis() <= linger.toMillis() || deliveryTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidValueException("delivery timeout must be longer than linger (" + linger.toMillis()
                    + " ms), got " + deliveryTimeout);
        }
        if (adminTimeout.toMillis() < 1 || adminTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidValueException("admin timeout must be at least 1 ms, got " + adminTimeout);
        }
        for (Map.Entry<String, String> property : clientProperties.entrySet()) {
            if (property.getKey() == null || property.getValue() == null) {
                throw new InvalidValueException("client properties must not contain null keys or values");
            }
            if (RESERVED_PROPERTIES.contains(property.getKey())) {
                throw new InvalidValueException("client property " + property.getKey()
                        + " is set by the adapter (its guarantees depend on it or a setting carries it)");
            }
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Production defaults for a cluster of at least three brokers: topic {@value #DEFAULT_TOPIC} with
     * {@value #DEFAULT_PARTITIONS} partitions, replication factor 3, {@code min.insync.replicas} 2.
     */
    public static KafkaSettings defaults(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_TOPIC, DEFAULT_PARTITIONS, (short) 3, 2,
                DEFAULT_GROUP_ID, DEFAULT_CLIENT_ID, DEFAULT_MAX_POLL_RECORDS, DEFAULT_LINGER,
                DEFAULT_BATCH_SIZE_BYTES, DEFAULT_COMPRESSION, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_ADMIN_TIMEOUT,
                Map.of());
    }

    /** {@link #defaults} for a single broker (the embedded mode): replication factor 1, {@code min.insync.replicas} 1. */
    public static KafkaSettings singleBroker(String bootstrapServers) {
        return defaults(bootstrapServers).withReplication((short) 1, 1);
    }

    public KafkaSettings withTopic(String newTopic, int newPartitions) {
        return new KafkaSettings(bootstrapServers, newTopic, newPartitions, replicationFactor, minInsyncReplicas,
                groupId, clientId, maxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                adminTimeout, clientProperties);
    }

    public KafkaSettings withReplication(short newReplicationFactor, int newMinInsyncReplicas) {
        return new KafkaSettings(bootstrapServers, topic, partitions, newReplicationFactor, newMinInsyncReplicas,
                groupId, clientId, maxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                adminTimeout, clientProperties);
    }

    public KafkaSettings withGroup(String newGroupId, String newClientId) {
        return new KafkaSettings(bootstrapServers, topic, partitions, replicationFactor, minInsyncReplicas,
                newGroupId, newClientId, maxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                adminTimeout, clientProperties);
    }

    public KafkaSettings withMaxPollRecords(int newMaxPollRecords) {
        return new KafkaSettings(bootstrapServers, topic, partitions, replicationFactor, minInsyncReplicas,
                groupId, clientId, newMaxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                adminTimeout, clientProperties);
    }

    public KafkaSettings withProducerTuning(Duration newLinger, int newBatchSizeBytes, String newCompressionType,
                                            Duration newDeliveryTimeout) {
        return new KafkaSettings(bootstrapServers, topic, partitions, replicationFactor, minInsyncReplicas,
                groupId, clientId, maxPollRecords, newLinger, newBatchSizeBytes, newCompressionType,
                newDeliveryTimeout, adminTimeout, clientProperties);
    }

    public KafkaSettings withAdminTimeout(Duration newAdminTimeout) {
        return new KafkaSettings(bootstrapServers, topic, partitions, replicationFactor, minInsyncReplicas,
                groupId, clientId, maxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                newAdminTimeout, clientProperties);
    }

    public KafkaSettings withClientProperties(Map<String, String> newClientProperties) {
        return new KafkaSettings(bootstrapServers, topic, partitions, replicationFactor, minInsyncReplicas,
                groupId, clientId, maxPollRecords, linger, batchSizeBytes, compressionType, deliveryTimeout,
                adminTimeout, newClientProperties);
    }

    /**
     * Everything but secrets: the value of a client property that may hold one (a password, a JAAS
     * configuration, a key, a secret, a token or credentials) is shown as {@code (hidden)}.
     */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        clientProperties.forEach((key, value) -> shown.put(key, isSecret(key) ? "(hidden)" : value));
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", minInsyncReplicas=" + minInsyncReplicas
                + ", groupId=" + groupId + ", clientId=" + clientId + ", maxPollRecords=" + maxPollRecords
                + ", linger=" + linger + ", batchSizeBytes=" + batchSizeBytes + ", compressionType=" + compressionType
                + ", deliveryTimeout=" + deliveryTimeout + ", adminTimeout=" + adminTimeout
                + ", clientProperties=" + shown + "]";
    }

    /** Whether a client property's value may be a secret, and so is never shown. */
    public static boolean isSecret(String property) {
        return SECRET_PROPERTY.matcher(property).find();
    }

    private static final Pattern SECRET_PROPERTY =
            Pattern.compile("password|jaas|secret|token|credential|\\.key$", Pattern.CASE_INSENSITIVE);

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(name + " must not be blank");
        }
    }
}
