package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restart a broker outage calls for: on three brokers with the topic replicated three times, a
 * consumer is killed, a broker stopped, and the consumer started again with the default settings. It
 * takes the topic as it is (replication factor 3, min.insync.replicas 2: what it was created with, not
 * the two brokers alive now) and stores everything published before and during the outage exactly once.
 */
class BrokerOutageRestartIT {

    @RegisterExtension
    static final TestServers servers = TestServers.withThreeBrokers();

    @Test
    void aConsumerRestartedWhileABrokerIsDownTakesTheTopicAsItIs(@TempDir Path logs) throws Exception {
        try (Publishing publishing = new Publishing(servers.kafka(), 100, 500).start(Duration.ofSeconds(30))) {
            try (ChildProcess first = servers.consumer(logs.resolve("first.log"), List.of("-Xmx256m"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (servers.accounted() < 2_000 && System.nanoTime() < deadline) {
                    assertTrue(first.isAlive(), first.output());
                    Thread.sleep(200);
                }
                assertTrue(servers.accounted() >= 2_000, "the first consumer made no progress:\n" + first.output());
                first.kill();
            }
            int stopped = servers.stopLeaderOf(0);

            try (ChildProcess restarted = servers.consumer(logs.resolve("restarted.log"), List.of("-Xmx256m"))) {
                restarted.awaitLine(line -> line.contains("topic heartbeat-data ready: 3 partitions, replication factor 3,"
                        + " min.insync.replicas 2"), Duration.ofSeconds(60));
                publishing.awaitDone();
                // the killed member holds its partitions for its session (45 s) before the restarted one gets them
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (servers.accounted() < publishing.published() && System.nanoTime() < deadline) {
                    assertTrue(restarted.isAlive(), restarted.output());
                    Thread.sleep(250);
                }
                assertEquals(publishing.published(), servers.accounted(),
                        "broker " + stopped + " down; everything published is accounted for:\n" + restarted.output());
                assertTrue(restarted.isAlive(), restarted.output());
            }
            servers.assertExactlyOnce(publishing);
        }
    }
}
