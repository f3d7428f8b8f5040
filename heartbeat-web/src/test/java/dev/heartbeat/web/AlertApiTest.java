package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.heartbeat.web.DashboardFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The alert endpoints over alerts raised by core's engine on the real ingest path (bus, validation,
 * alert engine, in-memory store): what they answer equals what the store holds, every alert carries
 * its provenance, history pages visit every alert once, the acknowledgement is JSON-only, validated,
 * recorded with the server's time and kept when repeated, and bad requests are 400s naming the
 * parameter.
 */
class AlertApiTest {

    /** Severe tachycardia for 20 s, then normal: fires after 10 s, resolves 30 s after the last high reading. */
    static final Instant AMY_START = NOW.minus(Duration.ofMinutes(30));
    /** Severe bradycardia, still going: open; 31 bpm a minute after it fired. */
    static final Instant BOB_START = NOW.minus(Duration.ofMinutes(5));
    /** Tachycardia for 70 s (fires at high after 60 s), then severe for 30 s (escalates after 10 s): open. */
    static final Instant CID_START = NOW.minus(Duration.ofMinutes(10));
    /** Tachycardia for 90 s: open at high. */
    static final Instant DAN_START = NOW.minus(Duration.ofMinutes(4));
    /** Seven short severe episodes a minute apart, each resolved: history to page through. */
    static final Instant EVE_START = NOW.minus(Duration.ofHours(2));
    static final int EVE_EPISODES = 7;

    private static DashboardFixture fixture;
    private static ApiClient api;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.withPeople(DashboardSettings.defaults());
        api = fixture.as("rui");
        for (int s = 0; s < 60; s++) {
            publish("amy", AMY_START.plusSeconds(s), s < 20 ? (s == 15 ? 240 : 230) : 80, Activity.NORMAL);
        }
        for (int s = 0; s < 120; s++) {
            publish("bob", BOB_START.plusSeconds(s), s == 60 ? 31 : 35, Activity.REST);
        }
        for (int s = 0; s < 101; s++) {
            publish("cid", CID_START.plusSeconds(s), s < 70 ? 170 : 215, Activity.NORMAL);
        }
        for (int s = 0; s < 90; s++) {
            publish("dan", DAN_START.plusSeconds(s), 180, Activity.NORMAL);
        }
        for (int s = 0; s < EVE_EPISODES * 60; s++) {
            publish("eve", EVE_START.plusSeconds(s), s % 60 < 12 ? 240 : 80, Activity.ANOMALY);
        }
        fixture.pipeline.awaitIngested(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static void publish(String customer, Instant at, int bpm, Activity activity) {
        fixture.pipeline.publish(new Reading(CustomerId.of(customer), at, bpm, activity));
    }

    private static List<StoredAlert> storedHistory(Optional<CustomerId> customer) {
        TimeRange day = TimeRange.last(Duration.ofHours(24), fixture.clock);
        List<StoredAlert> all = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            Page<StoredAlert> page = fixture.pipeline.alerts.history(customer, day, new PageRequest(100, after));
            all.addAll(page.items());
            after = page.next();
        } while (after.isPresent());
        return all;
    }

    private static String idOf(String customer, int index) {
        return storedHistory(Optional.of(CustomerId.of(customer))).get(index).alert().id();
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static JsonNode byCustomer(JsonNode items, String customer) {
        for (JsonNode item : items) {
            if (item.get("customer").asText().equals(customer)) {
                return item;
            }
        }
        throw new AssertionError("no alert of " + customer + " in " + items);
    }

    @Test
    void theEngineRaisedTheScriptedAlerts() {
        assertEquals(1, storedHistory(Optional.of(CustomerId.of("amy"))).size());
        assertEquals(EVE_EPISODES, storedHistory(Optional.of(CustomerId.of("eve"))).size());
        assertEquals(List.of("bob", "cid", "dan"), fixture.pipeline.alerts.active(10).stream()
                .map(a -> a.alert().customer().value()).toList());
    }

    @Test
    void activeAlertsAreTheStoresOpenOnesMostSevereFirst() {
        JsonNode active = api.ok("/api/alerts/active");
        assertEquals(NOW.toString(), active.get("at").asText());
        assertEquals(50, active.get("limit").asInt());
        assertFalse(active.get("more").asBoolean());
        List<String> expected = fixture.pipeline.alerts.active(50).stream().map(a -> a.alert().id()).toList();
        assertEquals(expected, ids(active.get("items")));
        List<String> customers = new ArrayList<>();
        active.get("items").forEach(item -> customers.add(item.get("customer").asText()));
        assertEquals(List.of("bob", "cid", "dan"), customers);
        int previous = Integer.MAX_VALUE;
        for (JsonNode item : active.get("items")) {
            assertEquals("firing", item.get("state").asText());
            int severity = severity(item.get("severity").asText());
            assertTrue(severity <= previous, "most severe first");
            previous = severity;
        }

        JsonNode first = api.ok("/api/alerts/active?limit=1");
        assertEquals(1, first.get("items").size());
        assertTrue(first.get("more").asBoolean());
        assertEquals(expected.getFirst(), first.get("items").get(0).get("id").asText());
    }

    private static int severity(String level) {
        return switch (level) {
            case "critical_low", "critical_high" -> 3;
            case "low", "high" -> 2;
            case "elevated" -> 1;
            default -> 0;
        };
    }

    @Test
    void anEscalatedAlertCarriesItsProvenance() {
        JsonNode cid = byCustomer(api.ok("/api/alerts/active").get("items"), "cid");
        assertEquals(Alert.idOf(dev.heartbeat.core.alert.AlertRule.tachycardia(),
                new Reading(CustomerId.of("cid"), CID_START, 170, Activity.NORMAL)), cid.get("id").asText());
        assertEquals("firing", cid.get("state").asText());
        assertEquals("critical_high", cid.get("severity").asText(), "escalated from high");
        JsonNode rule = cid.get("rule");
        assertEquals("tachycardia", rule.get("name").asText());
        assertEquals("above", rule.get("side").asText());
        assertEquals("[{\"level\":\"high\",\"pendingSeconds\":60.0},{\"level\":\"critical_high\",\"pendingSeconds\":10.0}]",
                rule.get("levels").toString());
        assertEquals(30.0, rule.get("resolveAfterSeconds").asDouble());
        assertEquals("[\"exercise\"]", rule.get("explainedBy").toString());
        assertEquals(CID_START.toString(), cid.get("openedAt").asText());
        assertEquals(CID_START.plusSeconds(60).toString(), cid.get("firedAt").asText(), "high held its 60 s");
        assertTrue(cid.get("resolvedAt").isNull());
        assertEquals(CID_START.toString(), cid.get("firstTrigger").get("at").asText());
        assertEquals(170, cid.get("firstTrigger").get("heartRate").asInt());
        assertEquals("high", cid.get("firstTrigger").get("level").asText());
        assertEquals("normal", cid.get("firstTrigger").get("activity").asText());
        assertEquals(215, cid.get("lastTrigger").get("heartRate").asInt());
        assertEquals("peak", cid.get("extremeKind").asText());
        assertEquals(215, cid.get("extreme").get("heartRate").asInt());
        assertEquals(CID_START.plusSeconds(70).toString(), cid.get("extreme").get("at").asText());
        assertTrue(cid.get("escalatesTo").isNull(), "critical high is the rule's top level");
        assertTrue(cid.get("acknowledgement").isNull());

        JsonNode bob = byCustomer(api.ok("/api/alerts/active").get("items"), "bob");
        assertEquals("bradycardia", bob.get("rule").get("name").asText());
        assertEquals("below", bob.get("rule").get("side").asText());
        assertEquals("[{\"level\":\"low\",\"pendingSeconds\":60.0},{\"level\":\"critical_low\",\"pendingSeconds\":10.0}]",
                bob.get("rule").get("levels").toString(), "mildest first");
        assertEquals("trough", bob.get("extremeKind").asText());
        // the store keeps an open alert as its last transition (fired, escalated) left it: the trough
        // of 31 bpm that came after firing shows once the alert escalates or resolves
        assertEquals(35, bob.get("extreme").get("heartRate").asInt());
        assertEquals(fixture.pipeline.alerts.alert(bob.get("id").asText()).orElseThrow().alert().peak().heartRate(),
                bob.get("extreme").get("heartRate").asInt());
        assertEquals(BOB_START.plusSeconds(10).toString(), bob.get("firedAt").asText());

        JsonNode dan = byCustomer(api.ok("/api/alerts/active").get("items"), "dan");
        assertEquals("high", dan.get("severity").asText());
        assertEquals("critical_high", dan.get("escalatesTo").get("level").asText());
        assertEquals(10.0, dan.get("escalatesTo").get("pendingSeconds").asDouble());
    }

    @Test
    void aResolvedAlertInTheCustomersHistory() {
        JsonNode page = api.ok("/api/alerts?customer=amy");
        assertEquals(1, page.get("items").size());
        assertTrue(page.get("next").isNull());
        JsonNode amy = page.get("items").get(0);
        assertEquals("resolved", amy.get("state").asText());
        assertEquals("critical_high", amy.get("severity").asText());
        assertEquals(AMY_START.toString(), amy.get("openedAt").asText());
        assertEquals(AMY_START.plusSeconds(10).toString(), amy.get("firedAt").asText());
        assertEquals(AMY_START.plusSeconds(50).toString(), amy.get("resolvedAt").asText(), "30 s after the last high reading");
        assertEquals(AMY_START.plusSeconds(19).toString(), amy.get("lastTrigger").get("at").asText());
        assertEquals(240, amy.get("extreme").get("heartRate").asInt());
        assertTrue(amy.get("escalatesTo").isNull(), "a resolved alert escalates no more");
        assertEquals(api.ok("/api/alerts/" + amy.get("id").asText()), amy, "the same view by id");
    }

    @Test
    void historyEqualsTheStoreAndPagesVisitEveryAlertOnceNewestFirst() {
        List<String> expected = storedHistory(Optional.empty()).stream().map(a -> a.alert().id()).toList();
        assertEquals(EVE_EPISODES + 4, expected.size());
        assertEquals(expected, ids(api.ok("/api/alerts?limit=500").get("items")));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.ok("/api/alerts?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertTrue(page.get("items").size() <= 2);
            seen.addAll(ids(page.get("items")));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 50);
        assertEquals(expected, seen);
        assertEquals((expected.size() + 1) / 2, pages);

        List<String> eve = ids(api.ok("/api/alerts?customer=eve&range=24h&limit=3").get("items"));
        assertEquals(storedHistory(Optional.of(CustomerId.of("eve"))).stream().limit(3).map(a -> a.alert().id()).toList(), eve);
        // an explicit range around eve's episodes only
        JsonNode window = api.ok("/api/alerts?from=" + EVE_START + "&to=" + EVE_START.plus(Duration.ofMinutes(10)));
        assertEquals(EVE_EPISODES, window.get("items").size());
        assertEquals(EVE_START.toString(), window.get("from").asText());
    }

    @Test
    void oneAlertByIdOr404() {
        String id = idOf("eve", 3);
        JsonNode alert = api.ok("/api/alerts/" + id);
        assertEquals(id, alert.get("id").asText());
        assertEquals("eve", alert.get("customer").asText());
        ApiClient.Answer unknown = api.get("/api/alerts/nobody/tachycardia/1795000000.000000");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().get("error").asText());
    }

    @Test
    void acknowledgingRecordsWhoAndTheServersTimeAndKeepsTheFirst() {
        String id = fixture.pipeline.alerts.active(10).stream().filter(a -> a.alert().customer().value().equals("dan"))
                .findFirst().orElseThrow().alert().id();
        ApiClient.Answer first = api.postJson("/api/alerts/" + id + "/ack", "{}");
        assertEquals(200, first.status(), first.body());
        assertEquals("rui", first.json().get("acknowledgement").get("by").asText(), "the author is who is signed in");
        assertEquals(NOW.toString(), first.json().get("acknowledgement").get("at").asText());
        assertEquals("firing", first.json().get("state").asText(), "acknowledged is not resolved");

        ApiClient.Answer again = fixture.as("ada").postJson("/api/alerts/" + id + "/ack", "");
        assertEquals(200, again.status());
        assertEquals(first.json(), again.json(), "the first acknowledgement is kept");

        assertEquals("rui", fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().orElseThrow().by());
        assertEquals("rui", api.ok("/api/alerts/" + id).get("acknowledgement").get("by").asText());
        assertEquals("rui", byCustomer(api.ok("/api/alerts/active").get("items"), "dan")
                .get("acknowledgement").get("by").asText());
    }

    @Test
    void anAcknowledgementKeepsItsNote() {
        String id = idOf("eve", 6);
        ApiClient.Answer answer = api.postJson("/api/alerts/" + id + "/ack", "{\"note\": \"  called her, sensor loose, refitted \"}");
        assertEquals(200, answer.status(), answer.body());
        assertEquals("called her, sensor loose, refitted", answer.json().get("acknowledgement").get("note").asText());
        assertEquals(Optional.of("called her, sensor loose, refitted"),
                fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().orElseThrow().note());
    }

    @Test
    void aResolvedAlertCanBeAcknowledgedAndAnUnknownOneIs404() {
        String id = idOf("eve", 4);
        assertEquals(200, api.postJson("/api/alerts/" + id + "/ack", "{}").status());
        ApiClient.Answer unknown = api.postJson("/api/alerts/nobody/tachycardia/1795000000.000000/ack", "{}");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().get("error").asText());
    }

    @Test
    void theAcknowledgementIsJsonOnlyAgainstCrossSiteForms() {
        String id = idOf("eve", 0);
        String path = "/api/alerts/" + id + "/ack";
        for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/plain", "text/plain;charset=UTF-8", "application/jsonp", null}) {
            String body = type != null && type.startsWith("application/x-www") ? "by=attacker" : "{}";
            ApiClient.Answer answer = api.post(path, type, body);
            assertEquals(415, answer.status(), type + ": " + answer.body());
            assertEquals("unsupported_media_type", answer.json().get("error").asText());
        }
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty(), "nothing was written");

        // a browser asks before a cross-origin JSON POST; the answer grants nothing
        ApiClient.Answer preflight = api.request("OPTIONS", path, "Origin", "https://evil.example");
        assertTrue(preflight.header("Access-Control-Allow-Origin").isEmpty(), "no CORS grant");
        assertTrue(preflight.header("Access-Control-Allow-Methods").isEmpty(), "no CORS grant");

        ApiClient.Answer json = api.post(path, "Application/JSON; charset=utf-8", "{}");
        assertEquals(200, json.status(), json.body());
        assertTrue(json.header("Access-Control-Allow-Origin").isEmpty());
    }

    static Stream<Arguments> badAcknowledgements() {
        return Stream.of(
                arguments("{\"by\":\"me\"}", "by"),
                arguments("{\"by\":null}", "by"),
                arguments("{\"by\":\"rui\"}", "by"),
                arguments("{\"note\":42}", "note"),
                arguments("{\"note\":\"" + "x".repeat(501) + "\"}", "note"),
                arguments("{\"note\":\"bell\\u0007\"}", "note"),
                arguments("{\"admin\":true}", "admin"),
                arguments("{\"note\":\"a\",\"note\":\"b\"}", "body"),
                arguments("{} {}", "body"),
                arguments("[\"me\"]", "body"),
                arguments("\"me\"", "body"),
                arguments("by=me", "body"),
                arguments("{", "body"));
    }

    @ParameterizedTest(name = "ack {0} -> 400 naming {1}")
    @MethodSource("badAcknowledgements")
    void aBadAcknowledgementIsA400NamingTheField(String body, String parameter) {
        String id = idOf("eve", 1);
        ApiClient.Answer answer = api.postJson("/api/alerts/" + id + "/ack", body);
        assertEquals(400, answer.status(), answer.body());
        assertEquals("bad_parameter", answer.json().get("error").asText());
        assertEquals(parameter, answer.json().get("parameter").asText());
        assertTrue(answer.json().get("message").asText().length() < 400);
        DashboardParametersTest.assertNoInternals(answer.body());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty());
    }

    @Test
    void aHugeAcknowledgementIsRefusedUnparsed() {
        String id = idOf("eve", 1);
        ApiClient.Answer answer = api.postJson("/api/alerts/" + id + "/ack", "{\"note\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(413, answer.status());
        assertEquals("payload_too_large", answer.json().get("error").asText());
        ApiClient.Answer huge = api.postJson("/api/alerts/" + id + "/ack", "{\"note\":\"" + "x".repeat(3_000_000) + "\"}");
        assertEquals(413, huge.status(), "beyond the server's request limit too");
        DashboardParametersTest.assertNoInternals(huge.body());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty());
    }

    static Stream<Arguments> badRequests() {
        String readingCursor = new Cursor(Instant.parse("2026-11-29T12:00:00Z"), "cust-00001").encode();
        String farCursor = new Cursor(Instant.parse("5000-01-01T00:00:00Z"), "eve/tachycardia/1.000000").encode();
        return Stream.of(
                arguments("/api/alerts/active?limit=0", "limit"),
                arguments("/api/alerts/active?limit=501", "limit"),
                arguments("/api/alerts/active?limit=abc", "limit"),
                arguments("/api/alerts/active?limit=2&limit=3", "limit"),
                arguments("/api/alerts/active?customer=eve", "customer"),
                arguments("/api/alerts?customer=bad!", "customer"),
                arguments("/api/alerts?customer=" + "a".repeat(51), "customer"),
                arguments("/api/alerts?limit=-1", "limit"),
                arguments("/api/alerts?limit=1.5", "limit"),
                arguments("/api/alerts?range=40d", "range"),
                arguments("/api/alerts?range=5s", "range"),
                arguments("/api/alerts?from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/alerts?from=2026-11-29T11:00:00Z", "to"),
                arguments("/api/alerts?range=1h&from=2026-11-29T11:00:00Z&to=2026-11-29T12:00:00Z", "range"),
                arguments("/api/alerts?cursor=garbage", "cursor"),
                arguments("/api/alerts?cursor=" + readingCursor, "cursor"),
                arguments("/api/alerts?cursor=" + farCursor, "cursor"),
                arguments("/api/alerts?level=critical", "level"),
                arguments("/api/alerts/%3Cb%3E", "id"),
                arguments("/api/alerts/eve/tachycardia/yesterday", "id"),
                arguments("/api/alerts/eve/Tachycardia/1.000000", "id"),
                arguments("/api/alerts/eve!/tachycardia/1.000000", "id"),
                arguments("/api/alerts/eve/tachycardia/1.000000/extra", "id"),
                arguments("/api/alerts/" + "a".repeat(51) + "/tachycardia/1.000000", "id"),
                arguments("/api/alerts/eve/tachycardia/1.000000?verbose=1", "verbose"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @MethodSource("badRequests")
    void badParametersAreA400NamingTheParameter(String pathAndQuery, String parameter) {
        ApiClient.Answer answer = api.get(pathAndQuery);
        assertEquals(400, answer.status(), answer.body());
        assertEquals("bad_parameter", answer.json().get("error").asText());
        assertEquals(parameter, answer.json().get("parameter").asText());
        assertTrue(answer.json().get("message").asText().length() < 400);
        DashboardParametersTest.assertNoInternals(answer.body());
    }

    @Test
    void theAckHasABadIdOrAQueryRefusedToo() {
        assertEquals("id", api.postJson("/api/alerts/not-an-id/ack", "{}").json().get("parameter").asText());
        String id = idOf("eve", 2);
        ApiClient.Answer query = api.postJson("/api/alerts/" + id + "/ack?by=me", "{}");
        assertEquals(400, query.status());
        assertEquals("by", query.json().get("parameter").asText());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty());
    }

    @Test
    void onlyTheAcknowledgementIsAWriteAndOnlyWithPost() {
        String id = idOf("eve", 2);
        ApiClient.Answer get = api.get("/api/alerts/" + id + "/ack");
        assertEquals(405, get.status(), get.body());
        assertEquals("method_not_allowed", get.json().get("error").asText());
        assertEquals(405, api.postJson("/api/alerts/active", "{}").status());
        assertEquals(405, api.postJson("/api/alerts/" + id, "{\"by\":\"me\"}").status());
        assertEquals(405, api.request("DELETE", "/api/alerts/" + id, "Accept", "application/json").status());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty());
    }

    @Test
    void theIdTravelsWithItsSlashesAsTheyAreOrPercentEncoded() {
        String id = idOf("eve", 5);
        JsonNode plain = api.ok("/api/alerts/" + id);
        assertEquals(plain, api.ok("/api/alerts/" + id.replace("/", "%2F")));
        ApiClient.Answer ack = api.postJson("/api/alerts/" + id.replace("/", "%2F") + "/ack", "{}");
        assertEquals(200, ack.status(), ack.body());
        assertEquals("rui", ack.json().get("acknowledgement").get("by").asText());
    }

    @Test
    void metaSaysAlertsAreOn() {
        assertTrue(api.ok("/api/meta").get("alerts").asBoolean());
    }

    @Test
    void withoutAnAlertStoreEveryAlertEndpointIs404AndMetaSaysSo() throws InterruptedException {
        try (DashboardFixture off = DashboardFixture.withoutAlerts()) {
            for (String path : List.of("/api/alerts/active", "/api/alerts", "/api/alerts?customer=eve",
                    "/api/alerts/eve/tachycardia/1.000000")) {
                ApiClient.Answer answer = off.api.get(path);
                assertEquals(404, answer.status(), path);
                assertEquals("alerts_not_configured", answer.json().get("error").asText(), path);
            }
            ApiClient.Answer ack = off.api.postJson("/api/alerts/eve/tachycardia/1.000000/ack", "{\"by\":\"me\"}");
            assertEquals(404, ack.status());
            assertEquals("alerts_not_configured", ack.json().get("error").asText());
            assertFalse(off.api.ok("/api/meta").get("alerts").asBoolean());
        }
    }
}
