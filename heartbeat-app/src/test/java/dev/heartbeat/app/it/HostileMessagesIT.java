package dev.heartbeat.app.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages that cost the consumer more than they are worth, among readings published at a steady rate,
 * to a consumer with a 128 MiB heap: records whose compressed batches inflate to 20 MB each, and a flood
 * of 64 KiB garbage, and 5,000 readings whose heart rate is a 60,000-digit number. The consumer keeps
 * running (and its partitions: no rebalance) and storing the readings; every hostile message is a reject
 * counted exactly; what the database keeps of them stays small.
 */
class HostileMessagesIT {

    static final int INFLATED = 30;
    static final int INFLATED_BYTES = 20 * 1024 * 1024;
    static final int GARBAGE = 10_000;
    static final int GARBAGE_BYTES = 64 * 1024;
    static final int LONG_LITERALS = 5_000;

    @RegisterExtension
    static final TestServers servers = new TestServers();

    @Test
    void inflatingBatchesAndAFloodOfGarbageLeaveReadingsFlowingAndTheDiskBounded(@TempDir Path logs) throws Exception {
        long poison;
        try (Publishing publishing = new Publishing(servers.kafka(), 100, 500).start(Duration.ofSeconds(40));
             ChildProcess consumer = servers.consumer(logs.resolve("consumer.log"),
                     List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), "--ingest-threads", "1")) {
            consumer.awaitLine(line -> line.contains("readings/s"), Duration.ofSeconds(60));
            long hostileFrom = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> hostile = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", servers.bootstrap(), "acks", "all", "compression.type", "zstd",
                    "max.request.size", Integer.toString(INFLATED_BYTES + 1024 * 1024),
                    "buffer.memory", Integer.toString(4 * INFLATED_BYTES), "linger.ms", "20"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                byte[] inflating = new byte[INFLATED_BYTES];
                Arrays.fill(inflating, (byte) ' ');
                byte[] prefix = "{\"customer_id\":\"flood\",\"heart_rate\":".getBytes(StandardCharsets.UTF_8);
                System.arraycopy(prefix, 0, inflating, 0, prefix.length);
                for (int i = 0; i < INFLATED; i++) {
                    hostile.send(new ProducerRecord<>("heartbeat-data", i % 3, "flood".getBytes(StandardCharsets.UTF_8), inflating));
                }
                hostile.flush();
                byte[] garbage = new byte[GARBAGE_BYTES];
                Arrays.fill(garbage, (byte) 'x');
                garbage[0] = '{';
                for (int i = 0; i < GARBAGE; i++) {
                    hostile.send(new ProducerRecord<>("heartbeat-data", i % 3, "garbage".getBytes(StandardCharsets.UTF_8), garbage));
                }
                hostile.flush();
                String literal = "{\"customer_id\":\"big\",\"timestamp\":\"" + java.time.Instant.now()
                        + "\",\"heart_rate\":" + "9".repeat(60_000) + ",\"state\":\"rest\"}";
                byte[] bigNumber = literal.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < LONG_LITERALS; i++) {
                    hostile.send(new ProducerRecord<>("heartbeat-data", "big".getBytes(StandardCharsets.UTF_8), bigNumber));
                }
                hostile.flush();
            }
            publishing.awaitDone();
            poison = publishing.poison.get();
            long expected = publishing.published() + INFLATED + GARBAGE + LONG_LITERALS;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (servers.accounted() < expected && System.nanoTime() < deadline) {
                assertTrue(consumer.isAlive(), consumer.output());
                Thread.sleep(250);
            }
            assertTrue(consumer.isAlive(), consumer.output());
            assertEquals(expected, servers.accounted(), consumer.output());
            System.out.printf("hostile messages sent and all %,d messages accounted for in %.1f s%n", expected,
                    (System.nanoTime() - hostileFrom) / 1e9);
            assertTrue(consumer.output().lines().noneMatch(line -> line.contains("revoked [") || line.contains("lost [")),
                    "no rebalance:\n" + consumer.output());
        }
        assertEquals(LONG_LITERALS, servers.count("SELECT sum(rejects) FROM stream_reject_counts WHERE reason = 'not_an_integer'"));
        assertEquals(INFLATED, servers.count("SELECT sum(rejects) FROM stream_reject_counts WHERE reason = 'too_large'"));
        assertEquals(INFLATED, servers.count("SELECT count(*) FROM rejected_readings WHERE reason = 'too_large' AND payload_size = "
                + INFLATED_BYTES + " AND octet_length(payload) <= 65536"), "each kept with its true size and 64 KiB at most");
        long malformed = servers.count("SELECT sum(rejects) FROM stream_reject_counts WHERE reason = 'malformed_json'");
        assertEquals(GARBAGE + poison, malformed, "the garbage (and the publisher's poison) counted exactly");
        assertEquals(GARBAGE + poison, servers.count("SELECT count(*) FROM rejected_readings WHERE reason = 'malformed_json'"),
                "and each recorded, with its offset, reason and size");
        long kept = servers.count("SELECT count(*) FROM rejected_readings WHERE payload_size = " + GARBAGE_BYTES
                + " AND octet_length(payload) > 0");
        long rejectBytes = servers.count("SELECT pg_total_relation_size('rejected_readings')");
        System.out.printf("garbage: %,d rejects counted, %,d payloads kept, rejected_readings %,d bytes (%,d uncapped)%n",
                GARBAGE, kept, rejectBytes, (long) GARBAGE * GARBAGE_BYTES);
        assertTrue(kept <= 1_000, "payloads kept per reason and minute are capped: " + kept);
        assertTrue(rejectBytes < 64L * 1024 * 1024, "the rejects take " + rejectBytes + " bytes");
        assertEquals(0, servers.count("SELECT count(*) FROM rejected_readings WHERE payload_size = " + GARBAGE_BYTES
                + " AND octet_length(payload) NOT IN (0, " + GARBAGE_BYTES + ")"), "a payload is kept whole or not at all");
    }
}
