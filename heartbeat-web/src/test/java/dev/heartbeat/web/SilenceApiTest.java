package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static dev.heartbeat.web.DashboardFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The silence endpoints: responders and admins make and end silences under their own name, viewers
 * only list them, every request is audited, a request that would mute everything, too long or without a
 * reason is a 400 naming the field, and an open alert a silence mutes says so.
 */
class SilenceApiTest {

    private static DashboardFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.withPeople(DashboardSettings.defaults());
        Instant from = NOW.minus(Duration.ofMinutes(4));
        for (int s = 0; s < 90; s++) { // tachycardia for 90 s: open at high
            fixture.pipeline.publish(new Reading(CustomerId.of("dan"), from.plusSeconds(s), 180, Activity.NORMAL));
        }
        fixture.pipeline.awaitIngested(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static AuditEvent lastAudit() {
        return fixture.audit.find(new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z")), new PageRequest(1, Optional.empty())).items().getFirst().event();
    }

    private static JsonNode create(String person, String body) {
        ApiClient.Answer answer = fixture.as(person).postJson("/api/silences", body);
        assertEquals(201, answer.status(), answer.body());
        return answer.json();
    }

    @Test
    void aResponderSnoozesACustomerUnderTheirOwnNameAndEveryoneSeesIt() {
        JsonNode made = create("rui", "{\"customer\": \"amy\", \"rule\": \"bradycardia\", \"duration\": \"30m\", "
                + "\"reason\": \"athlete, resting in the 40s\"}");
        assertEquals("amy", made.get("customer").asText());
        assertEquals("bradycardia", made.get("rule").asText());
        assertTrue(made.get("severity").isNull());
        assertEquals(false, made.get("includesCritical").asBoolean());
        assertEquals(NOW.toString(), made.get("startsAt").asText(), "from now, by the server's clock");
        assertEquals(NOW.plus(Duration.ofMinutes(30)).toString(), made.get("endsAt").asText());
        assertEquals("active", made.get("state").asText());
        assertEquals("rui", made.get("createdBy").asText(), "the author is who is signed in");
        AuditEvent audit = lastAudit();
        assertEquals("silence.create", audit.action());
        assertEquals("rui", audit.actor());
        assertEquals("allowed", audit.outcome());

        JsonNode listed = fixture.as("vera").ok("/api/silences");
        assertEquals("current", listed.get("state").asText());
        assertTrue(listed.get("items").findValues("id").stream().anyMatch(id -> id.asLong() == made.get("id").asLong()));
        assertEquals("silences", lastAudit().action(), "the list is audited too");
        assertEquals("vera", lastAudit().actor());
    }

    @Test
    void aViewerMayNotMakeOrEndASilence() {
        ApiClient.Answer refused = fixture.as("vera").postJson("/api/silences",
                "{\"customer\": \"amy\", \"duration\": \"15m\", \"reason\": \"x\"}");
        assertEquals(403, refused.status(), refused.body());
        assertEquals("silence.create", lastAudit().action());
        assertEquals("denied", lastAudit().outcome());
        JsonNode made = create("ada", "{\"customer\": \"amy\", \"duration\": \"15m\", \"reason\": \"family visit\"}");
        assertEquals(403, fixture.as("vera").postJson("/api/silences/" + made.get("id").asLong() + "/end", "{}").status());
    }

    @Test
    void onlyAnAdminMutesCriticalAlerts() {
        ApiClient.Answer refused = fixture.as("rui").postJson("/api/silences",
                "{\"customer\": \"amy\", \"includesCritical\": true, \"duration\": \"15m\", \"reason\": \"sensor on the charger\"}");
        assertEquals(403, refused.status(), refused.body());
        assertEquals("includesCritical", refused.json().get("parameter").asText());
        assertEquals(403, fixture.as("rui").postJson("/api/silences",
                "{\"severity\": \"critical_low\", \"duration\": \"15m\", \"reason\": \"x\"}").status());
        JsonNode made = create("ada", "{\"customer\": \"amy\", \"includesCritical\": true, \"duration\": \"15m\", "
                + "\"reason\": \"sensor on the charger\"}");
        assertEquals(true, made.get("includesCritical").asBoolean());
    }

    @Test
    void endingASilenceRecordsWhoAndListsItAsOver() {
        JsonNode made = create("rui", "{\"customer\": \"eve\", \"severity\": \"high\", \"endsAt\": \""
                + NOW.plus(Duration.ofHours(2)) + "\", \"reason\": \"exercise test on the ward\"}");
        long id = made.get("id").asLong();
        ApiClient.Answer ended = fixture.as("ada").postJson("/api/silences/" + id + "/end", "{}");
        assertEquals(200, ended.status(), ended.body());
        assertEquals("over", ended.json().get("state").asText());
        assertEquals("ada", ended.json().get("endedBy").asText());
        assertEquals(NOW.toString(), ended.json().get("over").asText());
        assertEquals("silence.end", lastAudit().action());
        JsonNode over = fixture.as("vera").ok("/api/silences?state=over");
        assertTrue(over.get("items").findValues("id").stream().anyMatch(v -> v.asLong() == id));
        assertEquals(404, fixture.as("ada").postJson("/api/silences/999999/end", "{}").status());
        assertEquals(400, fixture.as("ada").postJson("/api/silences/abc/end", "{}").status());
    }

    @Test
    void anOpenAlertASilenceMutesSaysWhichOne() {
        JsonNode made = create("rui", "{\"customer\": \"dan\", \"rule\": \"tachycardia\", \"duration\": \"1h\", "
                + "\"reason\": \"known arrhythmia, cardiologist informed\"}");
        JsonNode dan = null;
        for (JsonNode alert : fixture.as("vera").ok("/api/alerts/active").get("items")) {
            if (alert.get("customer").asText().equals("dan")) {
                dan = alert;
            }
        }
        assertTrue(dan != null, "dan's alert is open");
        assertEquals(made.get("id").asLong(), dan.get("silencedBy").asLong());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mutes everything  | {\"duration\": \"15m\", \"reason\": \"x\"}                                       | names a customer, a rule or a severity",
            "too long          | {\"customer\": \"amy\", \"duration\": \"25h\", \"reason\": \"x\"}                 | duration must be 1m - 1d",
            "ends too late     | {\"customer\": \"amy\", \"endsAt\": \"2026-12-01T12:00:00Z\", \"reason\": \"x\"}  | lasts at most 1d",
            "no reason         | {\"customer\": \"amy\", \"duration\": \"15m\"}                                    | reason is required",
            "no end            | {\"customer\": \"amy\", \"reason\": \"x\"}                                        | endsAt (a time) or duration",
            "two ends          | {\"customer\": \"amy\", \"duration\": \"15m\", \"endsAt\": \"2026-11-29T13:00:00Z\", \"reason\": \"x\"} | one of them",
            "normal severity   | {\"severity\": \"normal\", \"duration\": \"15m\", \"reason\": \"x\"}              | severity must be one of",
            "bad customer      | {\"customer\": \"<b>\", \"duration\": \"15m\", \"reason\": \"x\"}                 | customer must be a customer id",
            "already over      | {\"customer\": \"amy\", \"startsAt\": \"2026-11-29T11:59:40Z\", \"endsAt\": \"2026-11-29T12:00:00Z\", \"reason\": \"x\"} | ends in the future",
            "backdated         | {\"customer\": \"amy\", \"startsAt\": \"2026-11-29T11:00:00Z\", \"duration\": \"15m\", \"reason\": \"x\"} | starts now or later",
            "unknown field     | {\"customer\": \"amy\", \"duration\": \"15m\", \"reason\": \"x\", \"matchers\": []} | unknown field",
            "critical as text  | {\"customer\": \"amy\", \"duration\": \"15m\", \"reason\": \"x\", \"includesCritical\": \"yes\"} | true or false",
    })
    void aBadRequestIsRefusedNamingWhatIsWrong(String what, String body, String message) {
        ApiClient.Answer answer = fixture.as("rui").postJson("/api/silences", body);
        assertEquals(400, answer.status(), what + ": " + answer.body());
        assertTrue(answer.json().get("message").asText().contains(message), what + ": " + answer.body());
    }

    @Test
    void aSilenceIsMadeOnlyFromJson() {
        assertEquals(415, fixture.as("rui").post("/api/silences", "text/plain", "customer=amy").status());
        assertEquals(400, fixture.as("rui").get("/api/silences?state=later").status());
    }
}
