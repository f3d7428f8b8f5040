package dev.heartbeat.app.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer process (three ingest threads, the default) killed with SIGKILL mid-stream, three times, and
 * restarted: every published message ends up in PostgreSQL exactly once (stored + rejected + duplicates =
 * published, and no reading twice or missing). And each ingest thread is a group member of its own.
 */
class ConsumerKillIT {

    @RegisterExtension
    static final TestServers servers = new TestServers();

    static ChildProcess consumer(Path output) throws Exception {
        return servers.consumer(output, List.of("-Xmx256m"));
    }

    static long accounted() {
        return servers.accounted();
    }

    @Test
    void eachIngestThreadIsAMemberOfTheGroupWithPartitionsOfItsOwn(@TempDir Path logs) throws Exception {
        String group = "threads-" + System.nanoTime();
        try (ChildProcess consumer = servers.consumer(logs.resolve("consumer.log"), List.of("-Xmx256m"),
                "--ingest-threads", "3", "--kafka-group", group);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrap()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<MemberDescription> members = List.of();
            while (System.nanoTime() < deadline) {
                assertTrue(consumer.isAlive(), consumer.output());
                try {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    members = List.copyOf(description.members());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                    // not joined yet
                }
                if (members.size() == 3 && members.stream().allMatch(m -> m.assignment().topicPartitions().size() == 1)) {
                    break;
                }
                Thread.sleep(250);
            }
            assertEquals(3, members.size(), "one member per ingest thread: " + members);
            Set<Integer> partitions = new TreeSet<>();
            Set<String> clients = new TreeSet<>();
            for (MemberDescription member : members) {
                assertEquals(1, member.assignment().topicPartitions().size(), "a partition each: " + members);
                member.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
                clients.add(member.clientId());
            }
            assertEquals(Set.of(0, 1, 2), partitions);
            assertEquals(Set.of("heartbeat-1-consumer", "heartbeat-2-consumer", "heartbeat-3-consumer"), clients);
        }
    }

    @Test
    void everyPublishedMessageIsStoredExactlyOnceAcrossThreeKills(@TempDir Path logs) throws Exception {
        try (Publishing publishing = new Publishing(servers.kafka(), 200, 2_000).start(Duration.ofSeconds(40))) {
            long killedAt = 0;
            for (int kill = 1; kill <= 3; kill++) {
                try (ChildProcess consumer = consumer(logs.resolve("consumer-" + kill + ".log"))) {
                    long before = Math.max(killedAt, 0);
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (accounted() < before + 4_000 && System.nanoTime() < deadline) {
                        assertTrue(consumer.isAlive(), consumer.output());
                        Thread.sleep(200);
                    }
                    assertTrue(accounted() >= before + 4_000, "the consumer made no progress:\n" + consumer.output());
                    consumer.kill();
                    killedAt = accounted();
                }
            }
            publishing.awaitDone();
            try (ChildProcess last = consumer(logs.resolve("consumer-final.log"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (accounted() < publishing.published() && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertEquals(publishing.published(), accounted(), last.output());
                Thread.sleep(1_000);
                assertEquals(publishing.published(), accounted(), "nothing more than was published");
            }

            servers.assertExactlyOnce(publishing);
        }
    }
}
