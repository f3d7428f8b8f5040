package dev.heartbeat.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.test.api.TestKitDefaults;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real Kafka brokers (KRaft, one separate controller) inside the test JVM, shared by the tests of one
 * class. Topics are never auto-created here, so every test proves the adapter creates its own.
 */
public final class KafkaTestCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;
    private final Admin admin;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
    }

    public static KafkaTestCluster start(int brokers) throws Exception {
        return start(brokers, Map.of());
    }

    /**
     * As {@link #start(int)}, every broker also given {@code brokerProperties} (the controller is not):
     * how a test adds a listener of its own next to the kit's plaintext one.
     */
    static KafkaTestCluster start(int brokers, Map<String, String> brokerProperties) throws Exception {
        Map<Integer, Map<String, String>> perBroker = new HashMap<>();
        if (!brokerProperties.isEmpty()) {
            for (int id = TestKitDefaults.BROKER_ID_OFFSET; id < TestKitDefaults.BROKER_ID_OFFSET + brokers; id++) {
                perBroker.put(id, brokerProperties);
            }
        }
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(false)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(brokers)
                .setPerServerProperties(perBroker)
                .build();
        String internalReplication = Integer.toString(Math.min(3, brokers));
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // the KIP-848 group protocol's heartbeats drive its rebalances: faster ones keep the tests short
                .setConfigProp("group.consumer.min.heartbeat.interval.ms", "500")
                .setConfigProp("group.consumer.heartbeat.interval.ms", "500")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", internalReplication)
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", internalReplication)
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "5")
                .setConfigProp("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024))
                // a topic whose retention a test shortens loses its old segments within a second, not five minutes
                .setConfigProp("log.retention.check.interval.ms", "500")
                .setConfigProp("log.initial.task.delay.ms", "0")
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            kit.close();
            throw e;
        }
        return new KafkaTestCluster(kit);
    }

    /** The brokers' addresses on the kit's own (plaintext) listener. */
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** The brokers' addresses on {@code listener}, one the test configured itself. */
    String bootstrapServers(String listener) {
        ListenerName name = ListenerName.normalised(listener);
        return kit.brokers().values().stream()
                .map(broker -> "localhost:" + broker.boundPort(name))
                .collect(Collectors.joining(","));
    }

    Admin admin() {
        return admin;
    }

    /** Stops one broker for good (a crash or a maintenance stop, as the others see it). */
    public void shutdownBroker(int brokerId) {
        kit.brokers().get(brokerId).shutdown();
    }

    /** The broker that leads {@code partition} of {@code topic} now. */
    public int leaderOf(String topic, int partition) throws Exception {
        TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions().get(partition).leader().id();
    }

    /** The sum over all partitions of the log end offsets: with idempotent, non-transactional sends, the messages in the topic. */
    long messagesIn(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    @Override
    public void close() {
        admin.close();
        try {
            kit.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the brokers", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the brokers", e);
        }
    }
}
