package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.port.AuditLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail on the real HTTP server: every read of customers' data is recorded before it is
 * answered, with who, role, action, customer, address and outcome; refusals are recorded as denied;
 * sign-ins as ok or failed; what holds no one's data is not recorded; only admins read the trail, and
 * reading it is recorded too; the chain verifies.
 */
class AuditTrailTest {

    private static DashboardFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.withPeople(DashboardSettings.defaults());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static AuditEvent last() {
        return fixture.audit.find(new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z")), new PageRequest(1, Optional.empty())).items().getFirst().event();
    }

    static long count() {
        long[] n = {0};
        fixture.audit.forEachInOrder(r -> n[0]++);
        return n[0];
    }

    @Test
    void aReadOfACustomersDataIsRecordedWithWhoWhatAndWhence() {
        assertEquals(200, fixture.as("vera").get("/api/customers/Cust-00001/history?range=1h").status());
        AuditEvent e = last();
        assertEquals("vera", e.actor());
        assertEquals("viewer", e.role());
        assertEquals("customer.history", e.action());
        assertEquals(Optional.of("Cust-00001"), e.customer(), "the id as the request wrote it");
        assertEquals("127.0.0.1", e.client());
        assertEquals("allowed", e.outcome());
        assertEquals(DashboardFixture.NOW, e.at(), "the server's clock");

        fixture.as("vera").get("/api/alerts?customer=cust-00009");
        assertEquals("alerts", last().action());
        assertEquals(Optional.of("cust-00009"), last().customer());
        fixture.as("vera").get("/api/customers/cust-00002/readings");
        assertEquals("customer.readings", last().action());
    }

    @Test
    void refusalsAreRecordedAsDenied() {
        assertEquals(401, fixture.api.get("/api/customers/cust-00003").status());
        AuditEvent anonymous = last();
        assertEquals(AuditEvent.NOBODY, anonymous.actor());
        assertEquals("customer.latest", anonymous.action());
        assertEquals("denied", anonymous.outcome());

        String alert = "cust-00004/tachycardia/1795000000.000000";
        assertEquals(403, fixture.as("vera").postJson("/api/alerts/" + alert + "/ack", "{}").status());
        assertEquals("alert.acknowledge", last().action());
        assertEquals("denied", last().outcome());
        assertEquals(Optional.of(alert), last().alert());
        assertEquals(Optional.of("cust-00004"), last().customer());

        assertEquals(404, fixture.as("rui").postJson("/api/alerts/" + alert + "/ack", "{}").status());
        assertEquals("rui", last().actor());
        assertEquals("allowed", last().outcome());
    }

    @Test
    void signInsAreRecordedAndPasswordsAreNot() {
        fixture.api.postJson("/api/session", "{\"username\":\"ada\",\"password\":\"a wrong one\"}");
        assertEquals("ada", last().actor());
        assertEquals("sign_in", last().action());
        assertEquals("failed", last().outcome());
        String cookie = SignInTest.signIn(fixture.api, "ada", DashboardFixture.PASSWORD);
        assertEquals("ok", last().outcome());
        assertEquals("admin", last().role());
        fixture.api.request("DELETE", "/api/session", "Cookie", cookie);
        assertEquals("sign_out", last().action());
        fixture.audit.forEachInOrder(r -> assertTrue(!r.toString().contains(DashboardFixture.PASSWORD) && !r.toString().contains("a wrong one")));
    }

    @Test
    void whatHoldsNoOnesDataIsNotRecorded() {
        long before = count();
        fixture.as("vera").get("/api/meta");
        fixture.as("vera").get("/api/pipeline");
        fixture.as("vera").get("/metrics");
        fixture.api.get("/health/ready");
        fixture.api.get("/");
        assertEquals(before, count());
    }

    @Test
    void onlyAdminsReadTheTrailAndReadingItIsRecorded() {
        fixture.as("vera").get("/api/customers/cust-00005/stats");
        assertEquals(403, fixture.as("rui").get("/api/audit").status());
        ApiClient.Answer answer = fixture.as("ada").get("/api/audit?actor=vera&customer=cust-00005&limit=10");
        assertEquals(200, answer.status(), answer.body());
        JsonNode items = answer.json().get("items");
        assertTrue(items.size() >= 1, answer.body());
        for (JsonNode item : items) {
            assertEquals("vera", item.get("actor").asText());
            assertEquals("cust-00005", item.get("customer").asText());
            assertEquals(64, item.get("hash").asText().length());
        }
        assertEquals("audit.read", last().action());
        assertEquals("ada", last().actor());
        assertEquals(400, fixture.as("ada").get("/api/audit?actor=%3Cscript%3E").status());
        assertEquals(400, fixture.as("ada").get("/api/audit?limit=0").status());
    }

    @Test
    void theTrailIsOneIntactChain() {
        fixture.as("vera").get("/api/overview");
        AuditRecord.Verifier verifier = new AuditRecord.Verifier();
        List<Boolean> accepted = new java.util.ArrayList<>();
        fixture.audit.forEachInOrder(r -> accepted.add(verifier.accept(r)));
        assertTrue(verifier.result().intact(), verifier.result().toString());
        assertTrue(accepted.size() >= 1);
    }
}
