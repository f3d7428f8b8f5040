package dev.heartbeat.app.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.delivery.AlertDispatcher;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook sink against a real local HTTP server: one that works, one that answers 500, one that is down, one that hangs. */
class WebhookAlertSinkTest {

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger delayMillis = new AtomicInteger(0);
    HttpServer server;

    URI start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try {
                Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        // a receiver's URL often carries its secret, in the path or the query: it must show nowhere
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/T0SECRET/B0SECRET?key=SECRETKEY");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static List<AlertTransition> episode() {
        List<Reading> readings = new ArrayList<>();
        Instant start = Instant.parse("2026-11-29T10:00:00Z");
        for (int i = 0; i < 80; i++) {
            readings.add(StoreFixtures.reading("cust-00042", start.plusSeconds(i), i < 30 ? 35 : 72));
        }
        List<AlertTransition> transitions = AlertEngine.withDefaults().accept(readings);
        assertEquals(2, transitions.size());
        return transitions;
    }

    @Test
    void postsAlertmanagerShapedPayloadsForFiringAndResolved() throws Exception {
        WebhookAlertSink sink = new WebhookAlertSink(start(), Duration.ofSeconds(2), "http://dashboard.example");
        List<AlertTransition> transitions = episode();
        sink.deliver(transitions.get(0));
        sink.deliver(transitions.get(1));

        assertEquals(2, received.size());
        JsonNode firing = received.get(0);
        assertEquals("4", firing.get("version").asText());
        assertEquals("firing", firing.get("status").asText());
        JsonNode alert = firing.get("alerts").get(0);
        assertEquals("bradycardia", alert.get("labels").get("alertname").asText());
        assertEquals("cust-00042", alert.get("labels").get("customer_id").asText());
        assertEquals("critical_low", alert.get("labels").get("severity").asText());
        assertEquals(transitions.get(0).alert().id(), alert.get("fingerprint").asText());
        assertEquals("2026-11-29T10:00:10Z", alert.get("startsAt").asText());
        assertTrue(alert.get("annotations").get("trough").asText().startsWith("35 bpm at 2026-11-29T10:00:00Z"));
        assertTrue(alert.get("annotations").get("rule").asText().contains("critical_low for 10s"));
        JsonNode resolved = received.get(1);
        assertEquals("resolved", resolved.get("status").asText());
        assertEquals("2026-11-29T10:01:00Z", resolved.get("alerts").get(0).get("endsAt").asText());
        assertEquals(alert.get("fingerprint"), resolved.get("alerts").get(0).get("fingerprint"));
    }

    @Test
    void aReminderNobodyAcknowledgedIsFiringWithItsEscalationLevel() throws Exception {
        WebhookAlertSink sink = new WebhookAlertSink(start(), Duration.ofSeconds(2), "http://dashboard.example");
        AlertTransition fired = episode().get(0);
        sink.deliver(new AlertTransition(AlertTransition.Kind.UNACKNOWLEDGED, fired.alert(), fired.at().plusSeconds(900), 2));

        JsonNode reminder = received.getFirst();
        assertEquals("firing", reminder.get("status").asText());
        JsonNode annotations = reminder.get("alerts").get(0).get("annotations");
        assertEquals("unacknowledged", annotations.get("transition").asText());
        assertEquals("2", annotations.get("escalation_level").asText());
        assertTrue(annotations.get("summary").asText().endsWith("not acknowledged (escalation level 2)"),
                annotations.get("summary").asText());
    }

    @Test
    void aReceiverAnsweringFiveHundredIsRetriedFromTheOutboxUntilItWorks() throws Exception {
        URI endpoint = start();
        status.set(500);
        InMemoryDatabase database = new InMemoryDatabase(Clock.systemUTC());
        List<AlertTransition> transitions = episode();
        database.store().write(new StoreBatch(List.of(transitions.get(0).alert().firstTriggering()), List.of(),
                List.of(new PartitionRange(StoreFixtures.P0, 0, 1)), transitions));
        AlertDispatcher dispatcher = new AlertDispatcher(database.outbox(), List.of(new LogAlertSink(),
                new WebhookAlertSink(endpoint, Duration.ofSeconds(2), "http://dashboard.example")),
                Clock.systemUTC(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ofMillis(10), 10);
        Thread thread = Thread.ofPlatform().start(dispatcher);
        try {
            waitUntil(() -> dispatcher.failures() >= 3);
            assertTrue(dispatcher.lastError().contains("HTTP 500"), dispatcher.lastError());
            // the dispatcher stores exactly this message as the delivery's last error
            assertTrue(dispatcher.lastError().contains("http://127.0.0.1:" + endpoint.getPort() + "/...")
                    && !dispatcher.lastError().contains("SECRET"), dispatcher.lastError());
            assertEquals(0, dispatcher.delivered());
            status.set(200);
            waitUntil(() -> dispatcher.delivered() == 2);
        } finally {
            dispatcher.stop();
            thread.join(2000);
        }
        List<String> statuses = received.stream().map(n -> n.get("status").asText()).toList();
        assertEquals("resolved", statuses.getLast());
        assertEquals(1, statuses.stream().filter("resolved"::equals).count(), "each transition posted once it succeeded");
    }

    @Test
    void aReceiverThatIsDownFailsFastWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebhookAlertSink sink = new WebhookAlertSink(URI.create("http://127.0.0.1:" + closedPort + "/hook/SECRET"),
                Duration.ofSeconds(2), "http://dashboard.example");
        long started = System.nanoTime();
        HeartbeatException failure = assertThrows(HeartbeatException.class, () -> sink.deliver(episode().getFirst()));
        assertTrue(failure.getMessage().contains("unreachable"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("SECRET") && !String.valueOf(failure.getCause()).contains("SECRET"), failure.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void aReceiverThatHangsTimesOut() throws Exception {
        URI endpoint = start();
        delayMillis.set(3000);
        WebhookAlertSink sink = new WebhookAlertSink(endpoint, Duration.ofMillis(300), "http://dashboard.example");
        long started = System.nanoTime();
        HeartbeatException failure = assertThrows(HeartbeatException.class, () -> sink.deliver(episode().getFirst()));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
        assertTrue(!failure.getMessage().contains("SECRET"), failure.getMessage());
    }

    @Test
    void aUrlIsShownWithoutItsPathQueryOrUser() {
        assertEquals("https://hooks.example/...", WebhookAlertSink.redacted(URI.create("https://hooks.example/services/T0/B0/XyZ")));
        assertEquals("https://hooks.example:8443/...", WebhookAlertSink.redacted(URI.create("https://hooks.example:8443/?token=abc")));
        assertEquals("https://hooks.example/...", WebhookAlertSink.redacted(URI.create("https://user:pw@hooks.example")));
        assertEquals("http://alertmanager:9093", WebhookAlertSink.redacted(URI.create("http://alertmanager:9093/")));
        assertEquals("WebhookAlertSink[https://hooks.example/...]",
                new WebhookAlertSink(URI.create("https://hooks.example/secret"), Duration.ofSeconds(1), "x").toString());
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
