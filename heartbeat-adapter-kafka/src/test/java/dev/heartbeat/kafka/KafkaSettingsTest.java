package dev.heartbeat.kafka;

import dev.heartbeat.core.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings record's defaults and validation, and the client configurations built from it. */
class KafkaSettingsTest {

    static final KafkaSettings DEFAULTS = KafkaSettings.defaults("broker-1:9092,broker-2:9092");

    @Test
    void defaultsDescribeTheProductionTopic() {
        assertEquals("heartbeat-data", DEFAULTS.topic());
        assertEquals(3, DEFAULTS.partitions());
        assertEquals(3, DEFAULTS.replicationFactor());
        assertEquals(2, DEFAULTS.minInsyncReplicas());
        assertEquals("heartbeat-ingest", DEFAULTS.groupId());
        assertEquals(Map.of(), DEFAULTS.clientProperties());
        KafkaSettings single = KafkaSettings.singleBroker("localhost:9092");
        assertEquals(1, single.replicationFactor());
        assertEquals(1, single.minInsyncReplicas());
    }

    static void refused(String expectedInMessage, Runnable construction) {
        InvalidValueException e = assertThrows(InvalidValueException.class, construction::run);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void refusesValuesThatCannotWork() {
        refused("bootstrapServers", () -> KafkaSettings.defaults(" "));
        refused("topic", () -> DEFAULTS.withTopic("heart beat", 3));
        refused("topic", () -> DEFAULTS.withTopic("..", 3));
        refused("topic", () -> DEFAULTS.withTopic("t".repeat(250), 3));
        refused("partitions", () -> DEFAULTS.withTopic("t", 0));
        refused("replication factor", () -> DEFAULTS.withReplication((short) 0, 1));
        refused("min.insync.replicas must be 1-3", () -> DEFAULTS.withReplication((short) 3, 4));
        refused("min.insync.replicas", () -> DEFAULTS.withReplication((short) 3, 0));
        refused("groupId", () -> DEFAULTS.withGroup("", "c"));
        refused("clientId", () -> DEFAULTS.withGroup("g", ""));
        refused("max poll records", () -> DEFAULTS.withMaxPollRecords(0));
        refused("linger", () -> DEFAULTS.withProducerTuning(Duration.ofMillis(-1), 16_384, "lz4", Duration.ofMinutes(2)));
        refused("batch size", () -> DEFAULTS.withProducerTuning(Duration.ZERO, -1, "lz4", Duration.ofMinutes(2)));
        refused("compression type must be one of none, gzip, snappy, lz4, zstd, got \"brotli\"",
                () -> DEFAULTS.withProducerTuning(Duration.ZERO, 16_384, "brotli", Duration.ofMinutes(2)));
        refused("delivery timeout must be longer than linger",
                () -> DEFAULTS.withProducerTuning(Duration.ofSeconds(5), 16_384, "lz4", Duration.ofSeconds(5)));
        refused("admin timeout", () -> DEFAULTS.withAdminTimeout(Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acks", "enable.idempotence", "enable.auto.commit", "isolation.level", "auto.offset.reset",
            "group.id", "bootstrap.servers", "value.deserializer", "transactional.id", "max.poll.records"})
    void clientPropertiesCannotOverrideWhatTheGuaranteesRestOn(String property) {
        refused("client property " + property + " is set by the adapter", () -> DEFAULTS.withClientProperties(Map.of(property, "x")));
    }

    @Test
    void clientPropertiesMustNotHoldNulls() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("security.protocol", null);
        refused("null", () -> DEFAULTS.withClientProperties(withNull));
    }

    @Test
    void clientPropertiesReachEveryClientAndTheGuaranteesStay() {
        KafkaSettings secured = DEFAULTS.withClientProperties(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "fetch.min.bytes", "65536"));
        Map<String, Object> producer = KafkaClientConfigs.producer(secured);
        Map<String, Object> consumer = KafkaClientConfigs.consumer(secured);
        Map<String, Object> admin = KafkaClientConfigs.admin(secured, "test");
        for (Map<String, Object> config : java.util.List.of(producer, consumer, admin)) {
            assertEquals("SASL_SSL", config.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", config.get("sasl.mechanism"));
            assertEquals("broker-1:9092,broker-2:9092", config.get("bootstrap.servers"));
        }
        assertEquals("65536", consumer.get("fetch.min.bytes"));
        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("lz4", producer.get("compression.type"));
        assertEquals(false, consumer.get("enable.auto.commit"));
        assertEquals("read_committed", consumer.get("isolation.level"));
        assertEquals("none", consumer.get("auto.offset.reset"));
        assertEquals("heartbeat-ingest", consumer.get("group.id"));
        assertEquals(5_000, consumer.get("max.poll.records"));
    }

    @Test
    void aShortDeliveryTimeoutShortensTheRequestTimeoutUnlessOneIsGiven() {
        KafkaSettings failFast = DEFAULTS.withProducerTuning(Duration.ofMillis(10), 16_384, "none", Duration.ofSeconds(5));
        assertEquals(4_990, KafkaClientConfigs.producer(failFast).get("request.timeout.ms"));
        assertEquals(30_000, KafkaClientConfigs.producer(DEFAULTS).get("request.timeout.ms"));
        assertEquals("1000", KafkaClientConfigs.producer(failFast.withClientProperties(Map.of("request.timeout.ms", "1000")))
                .get("request.timeout.ms"));
    }

    @Test
    void toStringHidesEverySecretAndShowsTheRest() {
        KafkaSettings settings = DEFAULTS.withClientProperties(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cret-jaas\";",
                "ssl.truststore.password", "s3cret-trust",
                "ssl.key.password", "s3cret-key",
                "ssl.keystore.key", "s3cret-pem",
                "sasl.oauthbearer.client.credentials.client.secret", "s3cret-oauth"));
        String shown = settings.toString();
        assertTrue(!shown.contains("s3cret"), shown);
        assertTrue(shown.contains("security.protocol=SASL_SSL") && shown.contains("sasl.mechanism=SCRAM-SHA-512"), shown);
        assertTrue(shown.contains("sasl.jaas.config=(hidden)") && shown.contains("ssl.truststore.password=(hidden)"), shown);
        assertTrue(shown.contains("bootstrapServers=broker-1:9092,broker-2:9092") && shown.contains("topic=heartbeat-data"), shown);
    }
}
