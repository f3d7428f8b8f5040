package dev.heartbeat.app.runtime;

import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.postgres.PostgresSettings;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatConfigTest {

    private static final KafkaSettings KAFKA = KafkaSettings.singleBroker("127.0.0.1:9092");
    private static final PostgresSettings DATABASE = PostgresSettings.of("jdbc:postgresql://127.0.0.1/heartbeat", "heartbeat", "");

    @Test
    void whatIsNotSetIsAbsentOrTheDefault() {
        HeartbeatConfig config = HeartbeatConfig.builder().kafka(KAFKA).database(DATABASE).consume(2).build();

        assertTrue(config.consumes());
        assertEquals(2, config.ingestThreads());
        assertEquals(Optional.empty(), config.produce());
        assertEquals(Optional.empty(), config.web());
        assertEquals(Optional.empty(), config.probes());
        assertEquals(HeartbeatConfig.Alerting.DEFAULTS, config.alerting());
        assertEquals(ValidationPolicy.defaults(), config.validation());
    }

    @Test
    void aProcessThatOnlyServesTheDashboardNeedsNoKafka() {
        HeartbeatConfig config = HeartbeatConfig.builder().kafka(Optional.empty()).database(DATABASE).build();

        assertFalse(config.consumes());
        assertEquals(Optional.empty(), config.kafka());
    }

    @Test
    void partsThatDoNotFitTogetherAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeartbeatConfig.builder().database(DATABASE).consume(1).build(),
                "consuming without Kafka");
        assertThrows(IllegalArgumentException.class, () -> HeartbeatConfig.builder().kafka(KAFKA).consume(1).build(),
                "consuming without a database");
        assertThrows(IllegalArgumentException.class, () -> HeartbeatConfig.builder().kafka(KAFKA).database(DATABASE).consume(-1).build(),
                "negative ingest threads");
    }
}
