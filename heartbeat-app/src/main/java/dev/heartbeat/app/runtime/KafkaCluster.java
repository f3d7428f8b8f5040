package dev.heartbeat.app.runtime;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.kafka.TopicReplication;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a Kafka cluster, within a bounded wait, what the settings of a process starting on it depend on:
 * how many brokers answer now, and how the readings topic is replicated if it exists.
 */
public final class KafkaCluster {

    /**
     * What the cluster said: {@code brokers} alive at this moment, and the topic's replication when the
     * topic exists. A topic's replication factor is how it was created, whatever brokers are down now.
     */
    public record Facts(int brokers, Optional<TopicReplication> topic) {
    }

    private KafkaCluster() {
    }

    /**
     * The brokers at {@code bootstrap} and the replication of {@code topic}; a clear configuration error
     * when no broker answers within {@code wait}.
     */
    public static Facts facts(String bootstrap, String topic, Map<String, String> clientProperties, Duration wait) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(wait.toMillis(), 30_000));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(wait.toMillis(), 1_000));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "heartbeat-check");
        long deadline = System.nanoTime() + wait.toNanos();
        Throwable last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(left, Integer.MAX_VALUE)))
                            .nodes().get(left, TimeUnit.MILLISECONDS).size();
                    return new Facts(brokers, replication(admin, topic, deadline));
                } catch (ExecutionException e) {
                    last = e.getCause();
                    if (last instanceof AuthenticationException) {
                        throw new ConfigurationException("Kafka at " + bootstrap + " refused the credentials: "
                                + last.getMessage() + " (check --kafka-username / --kafka-password)");
                    }
                } catch (TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConfigurationException("interrupted while waiting for Kafka at " + bootstrap);
                }
            }
        } catch (KafkaException e) {
            throw new ConfigurationException("cannot use Kafka at " + bootstrap + ": " + e.getMessage()
                    + " (check --kafka-bootstrap and the security options)");
        }
        throw new ConfigurationException("no Kafka broker answered at " + bootstrap + " within " + wait.toSeconds()
                + " s" + (last == null ? "" : " (" + last.getClass().getSimpleName() + ")")
                + ": check --kafka-bootstrap / HEARTBEAT_KAFKA_BOOTSTRAP");
    }

    /** The topic's replication (the largest replica set of its partitions), or empty when there is no such topic. */
    private static Optional<TopicReplication> replication(Admin admin, String topic, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        TopicDescription description;
        try {
            description = admin.describeTopics(Set.of(topic)).allTopicNames().get(left(deadline), TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
        if (description == null) {
            return Optional.empty();
        }
        short factor = (short) description.partitions().stream().mapToInt(p -> p.replicas().size()).max().orElse(0);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(left(deadline), TimeUnit.MILLISECONDS).get(resource);
        ConfigEntry minIsr = topicConfig == null ? null : topicConfig.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        int minInsync;
        try {
            minInsync = minIsr == null || minIsr.value() == null ? 1 : Integer.parseInt(minIsr.value());
        } catch (NumberFormatException e) {
            minInsync = 1; // the topic check that follows names the odd value
        }
        return Optional.of(new TopicReplication(factor, Math.max(1, Math.min(minInsync, factor))));
    }

    private static long left(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
