package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stopped for 25 s while readings keep coming: the consumer pauses (not ready), its heap
 * stays bounded, and once the database is back it recovers by itself, losing and duplicating nothing.
 */
class DatabaseOutageIT {

    static final long MAX_HEAP = 128L * 1024 * 1024;
    @RegisterExtension
    static final TestServers servers = new TestServers();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long heapUsed(int port) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]*\"\\} ([0-9.E+]+)$")
                .matcher(get(port, "/metrics").body());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return (long) total;
    }

    long accounted() {
        return servers.accounted();
    }

    @Test
    void theConsumerPausesWhileTheDatabaseIsDownAndRecoversByItself(@TempDir Path logs) throws Exception {
        int probePort = TestServers.freePort();
        try (Publishing publishing = new Publishing(servers.kafka(), 100, 1_000).start(Duration.ofSeconds(45));
             ChildProcess consumer = servers.consumer(logs.resolve("consumer.log"),
                     List.of("-Xmx" + MAX_HEAP / 1024 / 1024 + "m", "-XX:+ExitOnOutOfMemoryError"),
                     "--probe-port", Integer.toString(probePort))) {
            consumer.awaitLine(line -> line.contains("readings/s"), Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (accounted() < 3_000 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(200, get(probePort, "/health/ready").statusCode());

            servers.stopDatabase();
            List<Long> heap = new ArrayList<>();
            boolean sawNotReady = false;
            long outageEnds = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (System.nanoTime() < outageEnds) {
                assertTrue(consumer.isAlive(), "the consumer must survive the outage:\n" + consumer.output());
                sawNotReady |= get(probePort, "/health/ready").statusCode() == 503;
                heap.add(heapUsed(probePort));
                Thread.sleep(1_000);
            }
            servers.startDatabase();

            publishing.awaitDone();
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (accounted() < publishing.published() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(sawNotReady, "the consumer reports not ready while its store is down");
            assertEquals(publishing.published(), accounted(), consumer.output());
            assertEquals(publishing.readings.size(), servers.count("SELECT count(*) FROM heartbeat_records"));
            assertEquals(0, servers.count("SELECT sum(duplicates) FROM stream_positions"));
            assertEquals(200, get(probePort, "/health/ready").statusCode(), "ready again without a restart");
            assertTrue(consumer.output().contains("Store unavailable"), consumer.output());
            assertTrue(consumer.output().contains("Store available again"), consumer.output());
            long maxHeap = heap.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(maxHeap < MAX_HEAP, "heap during the outage: " + heap);
            System.out.println("heap used during the 25 s outage (bytes): " + heap);
        }
    }
}
