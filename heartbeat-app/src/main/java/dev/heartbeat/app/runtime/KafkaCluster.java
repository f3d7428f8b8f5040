package dev.heartbeat.app.runtime;

import dev.heartbeat.app.options.ConfigurationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Checks that a Kafka cluster answers, within a bounded wait, before anything is built on it. */
public final class KafkaCluster {

    private KafkaCluster() {
    }

    /** The number of brokers at {@code bootstrap}; a clear configuration error when none answers within {@code wait}. */
    public static int brokers(String bootstrap, Map<String, String> clientProperties, Duration wait) {
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
                    return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(left, Integer.MAX_VALUE)))
                            .nodes().get(left, TimeUnit.MILLISECONDS).size();
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
}
