package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.reading.Reading;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production shape (three brokers, replication factor 3, {@code min.insync.replicas=2}) losing a
 * broker in the middle of the stream: every reading is still acknowledged, stored exactly once, and
 * each customer's readings are committed in their order.
 */
class KafkaBrokerFailureTest {

    static final int READINGS = 120_000;
    static KafkaTestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaTestCluster.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aBrokerShutDownMidStreamLosesAndDuplicatesNothing() throws Exception {
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, "failover", 3, (short) 3, 2);
        List<Reading> readings = SimulatedReadings.generate(42, 1_000, READINGS);
        AtomicInteger published = new AtomicInteger();
        List<CompletableFuture<Void>> sent = new ArrayList<>(READINGS);
        KafkaReadingPublisher publisher = new KafkaReadingPublisher(pipeline.settings);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int from = 0; from < READINGS; from += 4_000) {
                for (Reading reading : readings.subList(from, from + 4_000)) {
                    sent.add(publisher.publish(reading));
                }
                published.addAndGet(4_000);
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            publisher.flush();
        });

        CommittedLog log = new CommittedLog();
        int victim;
        int publishedWhenDown;
        try (RunningLoop loop = RunningLoop.start("failover", pipeline.source("failover"), pipeline.ingest, log)) {
            Await.until(Duration.ofSeconds(60), () -> published.get() >= 40_000 && pipeline.messagesStored() >= 20_000,
                    () -> "40,000 published and 20,000 stored, got " + published.get() + " and " + pipeline.messagesStored());
            victim = cluster.leaderOf(pipeline.settings.topic(), 0);
            cluster.shutdownBroker(victim);
            publishedWhenDown = published.get();
            publishing.get(3, TimeUnit.MINUTES);
            pipeline.awaitStored(READINGS, Duration.ofMinutes(2));
            loop.assertRunning();
        } finally {
            publisher.close();
        }

        assertTrue(publishedWhenDown < READINGS, "the broker went down mid-stream, after " + publishedWhenDown);
        assertEquals(READINGS, sent.size());
        long failed = sent.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertEquals(0, failed, () -> "sends failed: " + publisher.failuresByCause());
        assertEquals(READINGS, publisher.acknowledged());
        assertEquals(READINGS, cluster.messagesIn(pipeline.settings.topic(), 3), "no message lost or written twice in the log");

        pipeline.assertExactlyOnce(readings);
        assertTrue(log.orderViolations().isEmpty(), () -> "per-customer order broken: " + log.orderViolations());
        assertEquals(READINGS, log.readings(), "committed once each (stale batches write nothing)");

        TopicDescription topic = cluster.admin().describeTopics(Set.of(pipeline.settings.topic())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(pipeline.settings.topic());
        topic.partitions().forEach(p -> {
            assertFalse(p.isr().stream().anyMatch(node -> node.id() == victim), "broker " + victim + " is out of the ISR");
            assertTrue(p.leader() != null && p.leader().id() != victim);
        });

        // an application starting now still finds its topic ready: 2 in-sync replicas meet min.insync.replicas
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(pipeline.settings)) {
            assertFalse(admin.ensureTopic());
        }
        // but a topic created now gets a replica on the stopped broker and never a full ISR: the wait says so
        // (on a loaded machine describing the topic alone has taken more than 3 s after the failover, and once
        // more than 10 s, when the wait ends in that describe call: refused all the same, saying so)
        KafkaSettings fresh = pipeline.settings.withTopic("t-after-failover", 3).withAdminTimeout(Duration.ofSeconds(15));
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(fresh)) {
            HeartbeatException refused = assertThrows(HeartbeatException.class, admin::ensureTopic);
            String message = refused.getMessage();
            assertTrue(message.startsWith("topic t-after-failover is not ready after PT15S: partition ")
                    && message.endsWith("has 2 in-sync replicas of 3, needs 3")
                    || message.startsWith("could not describe topic t-after-failover within PT15S"), message);
        }
    }
}
