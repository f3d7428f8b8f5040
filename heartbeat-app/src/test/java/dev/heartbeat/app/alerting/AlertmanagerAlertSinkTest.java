package dev.heartbeat.app.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Alertmanager sink against a real Alertmanager (Debian's {@code prometheus-alertmanager}) whose
 * configuration routes critical alerts to an on-call webhook and the others to the care team by email,
 * through a real SMTP server (GreenMail) in the test JVM.
 */
class AlertmanagerAlertSinkTest {

    static final String DASHBOARD = "https://heartbeat.example.org";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> paged = new CopyOnWriteArrayList<>();
    static HttpServer pager;
    static GreenMail mail;
    static AlertmanagerProcess alertmanager;
    static AlertmanagerAlertSink sink;

    @TempDir
    static Path directory;

    @BeforeAll
    static void start() throws Exception {
        pager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pager.createContext("/pager", exchange -> {
            paged.add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        pager.start();
        int smtp;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtp = socket.getLocalPort();
        }
        mail = new GreenMail(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        alertmanager = AlertmanagerProcess.start(directory, """
                global:
                  smtp_smarthost: '127.0.0.1:%d'
                  smtp_from: 'heartbeat-alerts@example.org'
                  smtp_require_tls: false
                route:
                  receiver: care-team-email
                  group_by: ['alertname', 'customer_id']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                  routes:
                    - receiver: on-call-pager
                      matchers: ['severity=~"critical_.*"']
                receivers:
                  - name: on-call-pager
                    webhook_configs:
                      - url: 'http://127.0.0.1:%d/pager'
                        send_resolved: true
                  - name: care-team-email
                    email_configs:
                      - to: 'care-team@example.org'
                """.formatted(smtp, pager.getAddress().getPort()));
        sink = new AlertmanagerAlertSink(alertmanager.url(), Duration.ofSeconds(5), DASHBOARD, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (mail != null) {
            mail.stop();
        }
        if (pager != null) {
            pager.stop(0);
        }
    }

    static Reading reading(String customer, Instant at, int bpm) {
        return new Reading(CustomerId.of(customer), at, bpm, Activity.NORMAL);
    }

    static Alert firing(String customer, AlertRule rule, AnomalyLevel severity, int bpm) {
        Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        Reading start = reading(customer, first, bpm);
        Reading last = reading(customer, first.plusSeconds(10), bpm);
        return new Alert(Alert.idOf(rule, start), CustomerId.of(customer), rule, severity, AlertState.FIRING, start, last,
                last, last.recordedAt(), Optional.empty());
    }

    static Alert resolved(Alert alert, Instant at) {
        return new Alert(alert.id(), alert.customer(), alert.rule(), alert.severity(), AlertState.RESOLVED,
                alert.firstTriggering(), alert.lastTriggering(), alert.peak(), alert.firedAt(), Optional.of(at));
    }

    static JsonNode awaitPage(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode page : paged) {
                if (wanted.test(page)) {
                    return page;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such notification within 30 s; received " + paged + "\n" + alertmanager.log());
    }

    static boolean about(JsonNode page, String customer, String status) {
        return page.path("status").asText().equals(status)
                && page.path("commonLabels").path("customer_id").asText().equals(customer);
    }

    /** The alerts Alertmanager holds as active for {@code customer}. */
    static JsonNode active(String customer) throws Exception {
        return JSON.readTree(alertmanager.get("/api/v2/alerts?active=true&silenced=false&inhibited=false&filter="
                + java.net.URLEncoder.encode("customer_id=\"" + customer + "\"", java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aCriticalAlertPagesTheOnCallWebhookWithItsProvenanceAndItsResolutionFollows() throws Exception {
        Alert alert = firing("amy", AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH, 215);
        sink.deliver(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));

        JsonNode page = awaitPage(p -> about(p, "amy", "firing"));
        JsonNode paged = page.path("alerts").get(0);
        assertEquals("tachycardia", paged.path("labels").path("alertname").asText());
        assertEquals("critical_high", paged.path("labels").path("severity").asText());
        assertEquals(alert.id(), paged.path("annotations").path("alert_id").asText());
        assertEquals("215 bpm at " + alert.firstTriggering().recordedAt() + " (normal)",
                paged.path("annotations").path("first_reading").asText());
        assertEquals(DASHBOARD + "/#/customer/amy", paged.path("generatorURL").asText());
        assertEquals(alert.firedAt(), Instant.parse(paged.path("startsAt").asText()));
        JsonNode held = active("amy");
        assertEquals(1, held.size(), held.toString());
        assertTrue(Instant.parse(held.get(0).path("endsAt").asText()).isAfter(Instant.now().plus(Duration.ofMinutes(3))),
                "a firing alert ends four resends ahead unless sent again: " + held);

        sink.resend(List.of(alert));
        assertEquals(1, active("amy").size(), "sending it again changes nothing but its end");

        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sink.deliver(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(alert, end), end));
        JsonNode resolution = awaitPage(p -> about(p, "amy", "resolved"));
        assertEquals(end, Instant.parse(resolution.path("alerts").get(0).path("endsAt").asText()));
        assertEquals(0, active("amy").size());
    }

    @Test
    void aHighOrLowAlertGoesToTheCareTeamByEmail() throws Exception {
        Alert alert = firing("bob", AlertRule.bradycardia(), AnomalyLevel.LOW, 48);
        sink.deliver(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));

        assertTrue(mail.waitForIncomingEmail(30_000, 1), "an email within 30 s\n" + alertmanager.log());
        MimeMessage message = mail.getReceivedMessages()[0];
        assertEquals("care-team@example.org", message.getAllRecipients()[0].toString());
        assertTrue(message.getSubject().contains("bradycardia") && message.getSubject().contains("bob"), message.getSubject());
        assertTrue(paged.stream().noneMatch(p -> about(p, "bob", "firing")), "not paged");
    }

    @Test
    void anEscalationToCriticalPagesAndEndsTheAlertOfTheLowerLevel() throws Exception {
        Alert high = firing("cid", AlertRule.tachycardia(), AnomalyLevel.HIGH, 170);
        sink.deliver(new AlertTransition(AlertTransition.Kind.FIRED, high, high.firedAt()));
        assertEquals("high", active("cid").get(0).path("labels").path("severity").asText());

        Alert critical = new Alert(high.id(), high.customer(), high.rule(), AnomalyLevel.CRITICAL_HIGH, AlertState.FIRING,
                high.firstTriggering(), high.lastTriggering(), high.peak(), high.firedAt(), Optional.empty());
        sink.deliver(new AlertTransition(AlertTransition.Kind.ESCALATED, critical, Instant.now()));

        JsonNode page = awaitPage(p -> about(p, "cid", "firing"));
        assertEquals("critical_high", page.path("alerts").get(0).path("labels").path("severity").asText());
        JsonNode held = active("cid");
        assertEquals(1, held.size(), "only the critical one is still active: " + held);
        assertEquals("critical_high", held.get(0).path("labels").path("severity").asText());
    }

    @Test
    void aConsumerThatKnowsNoDashboardSendsNoLinkAndIsStillTaken() throws Exception {
        AlertmanagerAlertSink noDashboard = new AlertmanagerAlertSink(alertmanager.url(), Duration.ofSeconds(5), "heartbeat",
                Clock.systemUTC());
        Alert alert = firing("eve", AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH, 221);
        noDashboard.deliver(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        JsonNode held = active("eve");
        assertEquals(1, held.size(), held.toString());
        assertEquals("", held.get(0).path("generatorURL").asText());
    }

    @Test
    void anAlertmanagerThatCannotBeReachedIsAFailureTheOutboxRetries() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        AlertmanagerAlertSink down = new AlertmanagerAlertSink(URI.create("http://ops:S3CRET@127.0.0.1:" + closed + "/am"),
                Duration.ofSeconds(2), DASHBOARD, Clock.systemUTC());
        Alert alert = firing("dan", AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH, 220);
        HeartbeatException failed = assertThrows(HeartbeatException.class,
                () -> down.deliver(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt())));
        assertTrue(failed.getMessage().startsWith("Alertmanager http://127.0.0.1:" + closed + "/... unreachable"), failed.getMessage());
        assertTrue(!failed.getMessage().contains("S3CRET"), "the URL's credentials are never shown: " + failed.getMessage());
    }
}
