package dev.heartbeat.web;

import dev.heartbeat.core.access.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People on the real HTTP server: signing in sets a session cookie that script cannot read and no
 * other site's request carries; the session and the API tokens act with their person's role (viewer
 * reads, responder acknowledges, admin manages people); signing out ends the session; failed sign-ins
 * back off; a disabled person loses access; no password appears in any answer.
 */
class SignInTest {

    private static DashboardFixture fixture;
    private static ApiClient anonymous;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.withPeople(DashboardSettings.defaults());
        anonymous = fixture.api;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static String signIn(ApiClient api, String username, String password) {
        ApiClient.Answer answer = api.postJson("/api/session", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertEquals(200, answer.status(), answer.body());
        String cookie = answer.header("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void signingInSetsAStrictHttpOnlySessionCookie() {
        ApiClient.Answer answer = anonymous.postJson("/api/session",
                "{\"username\":\"rui\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}");
        assertEquals(200, answer.status(), answer.body());
        assertEquals("rui", answer.json().get("username").asText());
        assertEquals("responder", answer.json().get("role").asText());
        String cookie = answer.header("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(Authenticator.SESSION_COOKIE + "="), cookie);
        assertTrue(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"), cookie);
        assertTrue(cookie.contains("Max-Age=" + Sessions.DEFAULT_MAX_AGE.toSeconds()), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back");
        assertFalse(answer.body().contains(DashboardFixture.PASSWORD));

        ApiClient.Answer overTls = anonymous.post("/api/session", "application/json",
                "{\"username\":\"rui\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}", "X-Forwarded-Proto", "https");
        assertTrue(overTls.header("Set-Cookie").orElseThrow().contains("; Secure"), "behind a TLS proxy the cookie is Secure");
    }

    @Test
    void theSessionIsThePersonUntilTheySignOut() {
        String cookie = signIn(anonymous, "vera", DashboardFixture.PASSWORD);
        ApiClient.Answer who = anonymous.get("/api/session", "Cookie", cookie);
        assertEquals(200, who.status());
        assertTrue(who.json().get("signedIn").asBoolean());
        assertEquals("vera", who.json().get("username").asText());
        assertEquals("viewer", who.json().get("role").asText());
        assertEquals(200, anonymous.get("/api/overview", "Cookie", cookie).status());

        ApiClient.Answer out = anonymous.request("DELETE", "/api/session", "Cookie", cookie);
        assertEquals(204, out.status());
        assertTrue(out.header("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, anonymous.get("/api/overview", "Cookie", cookie).status(), "the session is gone");
        ApiClient.Answer nobody = anonymous.get("/api/session", "Cookie", cookie);
        assertEquals(200, nobody.status(), "the page asks who is signed in without drawing a 401");
        assertFalse(nobody.json().get("signedIn").asBoolean());
    }

    @Test
    void withPeopleNothingIsShownToStrangers() {
        assertEquals(401, anonymous.get("/api/overview").status());
        assertEquals(401, anonymous.get("/metrics").status());
        assertEquals(401, anonymous.get("/api/overview", "Cookie", Authenticator.SESSION_COOKIE + "=" + "x".repeat(43)).status());
        assertEquals(401, anonymous.withToken("hbt_0011223344556677_forged").get("/api/overview").status());
        assertEquals(200, anonymous.get("/").status(), "the page holds no data");
        assertEquals(200, anonymous.get("/health/ready").status());
    }

    @Test
    void eachRoleDoesItsWorkAndIsRefusedTheRest() {
        String ack = "/api/alerts/nobody/tachycardia/1795000000.000000/ack";
        for (String person : List.of("vera", "rui", "ada")) {
            ApiClient api = fixture.as(person);
            assertEquals(200, api.get("/api/overview").status(), person + " reads");
            assertEquals(200, api.get("/metrics").status(), person + " reads the metrics");
            int acked = api.postJson(ack, "{}").status();
            assertEquals(person.equals("vera") ? 403 : 404, acked, person + " acknowledging (404: past the gate, no such alert)");
        }
        ApiClient.Answer refused = fixture.as("vera").postJson(ack, "{}");
        assertEquals("forbidden", refused.json().get("error").asText());
        assertTrue(refused.json().get("message").asText().contains("responder"), refused.body());
        // the people routes are the admin's; past the gate, this process has none yet
        assertEquals(403, fixture.as("rui").get("/api/users").status());
        assertEquals(404, fixture.as("ada").get("/api/users").status());
    }

    @Test
    void aWrongPasswordOrAnUnknownNameAnswersTheSameAndSaysNothingMore() {
        ApiClient.Answer wrong = anonymous.postJson("/api/session", "{\"username\":\"ada\",\"password\":\"not the password\"}");
        ApiClient.Answer unknown = anonymous.postJson("/api/session", "{\"username\":\"zed\",\"password\":\"not the password\"}");
        assertEquals(401, wrong.status());
        assertEquals(wrong.body(), unknown.body(), "no telling whether the name exists");
        assertTrue(wrong.header("Set-Cookie").isEmpty());
        assertFalse(wrong.body().contains("not the password"));
        assertEquals(400, anonymous.postJson("/api/session", "{\"username\":\"ada\"}").status());
        assertEquals(400, anonymous.postJson("/api/session", "{\"username\":\"ada\",\"password\":\"x\",\"role\":\"admin\"}").status());
        assertEquals(415, anonymous.post("/api/session", "application/x-www-form-urlencoded", "username=ada&password=x").status());
        ApiClient.Answer crossSite = anonymous.post("/api/session", "application/json",
                "{\"username\":\"ada\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}", "Origin", "https://evil.example");
        assertEquals(403, crossSite.status(), "no signing in from another site's page");
    }

    @Test
    void failedSignInsBackOffPerNameAndAddress() throws InterruptedException {
        try (DashboardFixture own = DashboardFixture.withPeople(DashboardSettings.defaults())) {
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                assertEquals(401, own.api.postJson("/api/session", "{\"username\":\"ada\",\"password\":\"guess number " + i + "\"}").status());
            }
            ApiClient.Answer throttled = own.api.postJson("/api/session",
                    "{\"username\":\"ada\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}");
            assertEquals(429, throttled.status(), "even the right password waits: " + throttled.body());
            assertEquals("too_many_attempts", throttled.json().get("error").asText());
            assertTrue(Integer.parseInt(throttled.header("Retry-After").orElseThrow()) >= 1);
            // the address is held back too, whichever name it tries next
            assertEquals(429, own.api.postJson("/api/session",
                    "{\"username\":\"rui\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}").status());
            // the fixture's clock stands still: the wait never runs out here (LoginThrottleTest times it)
        }
    }

    @Test
    void aDisabledPersonsTokensStopAtOnce() {
        fixture.accounts.add("dee", Role.RESPONDER, DashboardFixture.PASSWORD);
        ApiClient dee = fixture.api.withToken(fixture.accounts.issueToken("dee", "script").text());
        assertEquals(200, dee.get("/api/overview").status());
        fixture.accounts.setDisabled("dee", true);
        assertEquals(401, dee.get("/api/overview").status());
        assertEquals(401, anonymous.postJson("/api/session", "{\"username\":\"dee\",\"password\":\"" + DashboardFixture.PASSWORD + "\"}").status());
    }

    @Test
    void aRevokedTokenStopsAtOnce() {
        var issued = fixture.accounts.issueToken("rui", "cron");
        ApiClient api = fixture.api.withToken(issued.text());
        assertEquals(200, api.get("/api/overview").status());
        fixture.accounts.revokeToken(issued.token().id());
        assertEquals(401, api.get("/api/overview").status());
    }
}
