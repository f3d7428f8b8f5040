package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.reading.Reading;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KafkaTopicAdmin} on three real brokers: creation, refusal of a different topic, and the wait before producing. */
class KafkaTopicAdminTest {

    static KafkaTestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaTestCluster.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    static KafkaSettings settings(String topic) {
        return KafkaSettings.defaults(cluster.bootstrapServers()).withTopic(topic, 3);
    }

    @Test
    void createsAMissingTopicAsConfiguredAndLeavesItAloneTheSecondTime() throws Exception {
        KafkaSettings settings = settings("admin-create");
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            assertTrue(admin.ensureTopic(), "created");
            assertFalse(admin.ensureTopic(), "found, not created again");
        }
        TopicDescription topic = cluster.admin().describeTopics(Set.of("admin-create")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("admin-create");
        assertEquals(3, topic.partitions().size());
        topic.partitions().forEach(p -> {
            assertEquals(3, p.replicas().size());
            assertEquals(3, p.isr().size(), "a full ISR when ensureTopic returned");
            assertTrue(p.leader() != null && !p.leader().isEmpty());
        });
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-create");
        Config config = cluster.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertEquals("2", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        assertEquals("delete", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
    }

    @Test
    void refusesAnExistingTopicWithOtherPartitions() throws Exception {
        cluster.admin().createTopics(List.of(new NewTopic("admin-partitions", 2, (short) 3)
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")))).all().get(30, TimeUnit.SECONDS);
        HeartbeatException refused = refusal("admin-partitions");
        assertTrue(refused.getMessage().startsWith("topic admin-partitions exists with partitions=2, replication factor=3"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("the settings ask for partitions=3, replication factor=3, min.insync.replicas=2"),
                refused.getMessage());
    }

    @Test
    void refusesAnExistingTopicWithAnotherReplicationFactor() throws Exception {
        cluster.admin().createTopics(List.of(new NewTopic("admin-replication", 3, (short) 2)
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")))).all().get(30, TimeUnit.SECONDS);
        HeartbeatException refused = refusal("admin-replication");
        assertTrue(refused.getMessage().startsWith("topic admin-replication exists with partitions=3, replication factor=2 "),
                refused.getMessage());
    }

    @Test
    void refusesAnExistingTopicWithAnotherMinInsyncReplicas() throws Exception {
        // no topic-level setting: the topic inherits the broker default of 1, which is what counts
        cluster.admin().createTopics(List.of(new NewTopic("admin-isr", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        HeartbeatException refused = refusal("admin-isr");
        assertTrue(refused.getMessage().startsWith(
                "topic admin-isr exists with partitions=3, replication factor=3, min.insync.replicas=1 but"), refused.getMessage());
    }

    @Test
    void refusesACompactedTopic() throws Exception {
        cluster.admin().createTopics(List.of(new NewTopic("admin-compacted", 3, (short) 3)
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2", TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"))))
                .all().get(30, TimeUnit.SECONDS);
        HeartbeatException refused = refusal("admin-compacted");
        assertTrue(refused.getMessage().startsWith("topic admin-compacted has cleanup.policy=compact,delete: readings are keyed"),
                refused.getMessage());
    }

    static HeartbeatException refusal(String topic) {
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings(topic))) {
            return assertThrows(HeartbeatException.class, admin::ensureTopic);
        }
    }

    /**
     * KAFKA-15591: an idempotent producer writing to a partition whose leader has not yet applied the
     * topic's creation can get its first request refused while a later one is accepted; the first batch
     * then never gets in. Here a warm producer (connected, with its producer id) sends many small batches
     * (several in flight per partition) the moment ensureTopic returns, over many fresh topics; every
     * send must be acknowledged and every message must be in the log.
     */
    @Test
    void producingTheMomentATopicIsCreatedLosesNothing() throws Exception {
        int rounds = 15;
        int perRound = 600;
        KafkaSettings base = settings("unused").withProducerTuning(Duration.ZERO, 1024, "none", Duration.ofSeconds(20));
        List<Reading> readings = SimulatedReadings.generate(11, 100, perRound);
        for (int round = 0; round < rounds; round++) {
            String topic = "fresh-" + round;
            KafkaSettings settings = base.withTopic(topic, 3);
            try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings);
                 KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
                // the producer connects and gets its producer id while the topic is being created
                assertTrue(admin.ensureTopic());
                List<CompletableFuture<Void>> sent = new ArrayList<>(perRound);
                for (Reading reading : readings) {
                    sent.add(publisher.publish(reading));
                }
                publisher.flush();
                int failed = 0;
                for (CompletableFuture<Void> future : sent) {
                    failed += future.isCompletedExceptionally() ? 1 : 0;
                }
                assertEquals(0, failed, "round " + round + ": failed sends " + publisher.failuresByCause());
                assertEquals(perRound, publisher.acknowledged());
            }
            assertEquals(perRound, cluster.messagesIn(topic, 3), "round " + round + ": messages in the log");
        }
    }
}
