package dev.heartbeat.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.app.alerting.AlertmanagerProcess;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A critical episode whose consumer is killed with SIGKILL while the alert is firing: after the
 * restart the open alert is restored from PostgreSQL and resolves once the heart rate is back, so
 * the episode has exactly one alert, fired once and resolved once, with its true peak. Both consumers
 * hand their alerts to a real Alertmanager, which notifies a webhook once firing and once resolved.
 */
class AlertRestoreIT {

    @RegisterExtension
    static final TestServers servers = new TestServers();

    static ChildProcess consumer(Path output, AlertmanagerProcess alertmanager) throws Exception {
        return servers.consumer(output, List.of("-Xmx256m"), "--alertmanager-url", alertmanager.url().toString());
    }

    /** One reading a second of {@code customer} from {@code from}, at each of {@code rates}. */
    static List<Reading> readings(String customer, Instant from, int... rates) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < rates.length; i++) {
            readings.add(new Reading(CustomerId.of(customer), from.plusSeconds(i), rates[i], Activity.NORMAL));
        }
        return readings;
    }

    static int[] constant(int seconds, int bpm) {
        int[] rates = new int[seconds];
        java.util.Arrays.fill(rates, bpm);
        return rates;
    }

    static long accounted() {
        return servers.accounted();
    }

    static void awaitAccounted(long expected, ChildProcess consumer) throws InterruptedException {
        // after a SIGKILL the group waits out the dead member's session (45 s) before the new one gets its partitions
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (accounted() < expected && System.nanoTime() < deadline) {
            assertTrue(consumer.isAlive(), consumer.output());
            Thread.sleep(200);
        }
        assertEquals(expected, accounted(), consumer.output());
    }

    @Test
    void anAlertFiringWhenItsConsumerIsKilledIsRestoredAndResolvesOnce(@TempDir Path logs) throws Exception {
        Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        // 30 s calm, then 60 s of a 230 bpm episode (critical_high fires after 10 s) ...
        List<Reading> before = new ArrayList<>(readings("amy", start, constant(30, 72)));
        before.addAll(readings("amy", start.plusSeconds(30), constant(60, 230)));
        // ... the episode goes on after the kill, peaks at 241, then 60 s calm (resolves after 30 s)
        int[] rest = constant(60, 230);
        rest[20] = 241;
        List<Reading> after = new ArrayList<>(readings("amy", start.plusSeconds(90), rest));
        after.addAll(readings("amy", start.plusSeconds(150), constant(60, 72)));

        List<JsonNode> notified = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/notify", exchange -> {
            notified.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Path amDirectory = Files.createDirectories(logs.resolve("alertmanager"));
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(amDirectory, AlertmanagerProcess.everythingTo(
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify"))) {
            episodeAcrossAKill(start, before, after, logs, alertmanager, notified);
            List<String> statuses = notified.stream().map(n -> n.path("status").asText()).toList();
            assertEquals(List.of("firing", "resolved"), statuses, "notified once firing, once resolved: " + notified
                    + "\n" + alertmanager.log());
            JsonNode firing = notified.getFirst().path("alerts").get(0);
            assertEquals("amy", firing.path("labels").path("customer_id").asText());
            assertEquals("critical_high", firing.path("labels").path("severity").asText());
        } finally {
            receiver.stop(0);
        }
    }

    private void episodeAcrossAKill(Instant start, List<Reading> before, List<Reading> after, Path logs,
                                    AlertmanagerProcess alertmanager, List<JsonNode> notified) throws Exception {
        servers.publish(before);
        try (ChildProcess first = consumer(logs.resolve("consumer-1.log"), alertmanager)) {
            awaitAccounted(before.size(), first);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (servers.count("SELECT count(*) FROM alerts WHERE customer_id = 'amy' AND state = 'firing'") < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(1, servers.count("SELECT count(*) FROM alerts WHERE customer_id = 'amy' AND state = 'firing'"),
                    "the alert fires before the kill:\n" + first.output());
            first.kill();
        }

        servers.publish(after);
        try (ChildProcess second = consumer(logs.resolve("consumer-2.log"), alertmanager)) {
            awaitAccounted(before.size() + after.size(), second);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (servers.count("SELECT count(*) FROM alerts WHERE customer_id = 'amy' AND state = 'resolved'") < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            try (Connection c = servers.connect(); Statement s = c.createStatement()) {
                try (ResultSet alerts = s.executeQuery(
                        "SELECT state, severity, peak_heart_rate, first_at FROM alerts WHERE customer_id = 'amy'")) {
                    assertTrue(alerts.next(), "the episode has an alert:\n" + second.output());
                    assertEquals("resolved", alerts.getString(1), second.output());
                    assertEquals("critical_high", alerts.getString(2));
                    assertEquals(241, alerts.getInt(3), "the peak after the restart is the alert's peak");
                    assertEquals(start.plusSeconds(30), alerts.getTimestamp(4).toInstant(), "first triggering reading");
                    assertTrue(!alerts.next(), "exactly one alert for the episode, not a second one after the restart");
                }
                List<String> transitions = new ArrayList<>();
                try (ResultSet outbox = s.executeQuery(
                        "SELECT o.kind FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.customer_id = 'amy' ORDER BY o.id")) {
                    while (outbox.next()) {
                        transitions.add(outbox.getString(1));
                    }
                }
                assertEquals(List.of("fired", "resolved"), transitions, "one firing and one resolution to deliver");
            }
            // the second consumer delivers the resolution to Alertmanager, which notifies it
            long notifiedBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (notified.stream().noneMatch(n -> "resolved".equals(n.path("status").asText()))
                    && System.nanoTime() < notifiedBy) {
                Thread.sleep(200);
            }
        }
    }
}
