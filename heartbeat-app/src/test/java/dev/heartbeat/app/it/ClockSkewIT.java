package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes whose clocks lie (shifted with libfaketime) against one PostgreSQL: retention 40 days ahead
 * drops nothing and says so; a consumer 10 minutes behind stores live readings (judged by the database's
 * clock, not rejected as in the future), exports its skew and reports not ready, saying why.
 */
class ClockSkewIT {

    @RegisterExtension
    static final TestServers servers = new TestServers();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aConsumerTenMinutesBehindStoresLiveReadingsAndRetentionFortyDaysAheadDropsNothing(@TempDir Path logs) throws Exception {
        int probePort = TestServers.freePort();
        try (Publishing publishing = new Publishing(servers.kafka(), 50, 500).start(Duration.ofSeconds(15));
             ChildProcess consumer = ChildProcess.startWithClock("-10m", logs.resolve("consumer.log"), List.of(),
                     "consume", "--kafka-bootstrap", servers.bootstrap(), "--kafka-replication-factor", "1",
                     "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres", "--status-every", "2s",
                     "--probe-port", Integer.toString(probePort))) {
            consumer.awaitLine(line -> line.contains("readings/s"), Duration.ofSeconds(60));
            publishing.awaitDone();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (servers.accounted() < publishing.published() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(publishing.published(), servers.accounted(), consumer.output());
            assertEquals(publishing.readings.size(), servers.count("SELECT count(*) FROM heartbeat_records"),
                    "every live reading stored, none judged by the consumer's own clock");
            assertEquals(0, servers.count("SELECT count(*) FROM rejected_readings WHERE reason = 'timestamp_in_future'"));

            HttpResponse<String> ready = get(probePort, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("not ready: this process's clock is 10m 0s behind PostgreSQL's")
                    || ready.body().startsWith("not ready: this process's clock is 9m 59s behind PostgreSQL's"), ready.body());
            Matcher skew = Pattern.compile("(?m)^heartbeat_clock_skew_seconds ([-0-9.E]+)$").matcher(get(probePort, "/metrics").body());
            assertTrue(skew.find(), "the skew is exported");
            assertEquals(-600, Double.parseDouble(skew.group(1)), 5, skew.group());
            assertTrue(consumer.output().contains("Retention did not run, nothing dropped: this process's clock is"), consumer.output());
        }

        long stored = servers.count("SELECT count(*) FROM heartbeat_records");
        ChildProcess retention = ChildProcess.startWithClock("+40d", logs.resolve("retention.log"), List.of(),
                "retention", "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres");
        assertEquals(1, retention.waitFor(Duration.ofSeconds(60)), retention.output());
        assertTrue(retention.output().contains("heartbeat: retention refused, nothing dropped: this process's clock is 40d 0h "
                + "ahead of PostgreSQL's, beyond the bound of 30.0s"), retention.output());
        assertEquals(stored, servers.count("SELECT count(*) FROM heartbeat_records"), "nothing dropped");
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
