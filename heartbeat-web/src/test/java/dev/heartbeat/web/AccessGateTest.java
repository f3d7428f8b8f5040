package dev.heartbeat.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access gate on the real HTTP server, with requests written byte for byte: no spelling of a
 * protected path and no method gets past it without the token; a forged {@code Host} is refused; a
 * state-changing request from another origin is refused; the probes stay open and say nothing else.
 */
class AccessGateTest {

    private static final String TOKEN = DashboardSecurityTest.TOKEN;
    private static final Map<String, String> WITH_TOKEN = Map.of("Authorization", "Bearer " + TOKEN);
    private static DashboardFixture fixture;
    private static int port;
    /** A responder's API token: the shared token only reads, acting on alerts needs a person. */
    private static Map<String, String> asResponder;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.withPeople(DashboardSettings.defaults().withBearerToken(TOKEN)
                .withAllowedHosts(Set.of("heartbeat.example.org")));
        port = fixture.port();
        asResponder = Map.of("Authorization", "Bearer " + fixture.tokens.get("rui"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Spellings of /metrics and of API routes that a router or servlet container may map to the route itself. */
    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/metrics/", "/metrics//", "//metrics", "/METRICS", "/Metrics/", "/%6detrics",
            "/%6Detrics", "/metrics;x=1", "/metrics;", "/./metrics", "/api/../metrics", "/health/../metrics",
            "/health/ready/../../metrics", "/api/overview", "/api/overview/", "/api//overview", "/API/overview",
            "/api/OVERVIEW", "/%61pi/overview", "/api;x=1/overview", "/api/overview;jsessionid=1", "/api/./overview",
            "/api/customers/cust-00001/", "/api/stream/", "/api/alerts/active/", "/api/meta?x=1", "/api/nothing-here/"})
    void noSpellingOfAProtectedPathIsAnsweredWithoutTheToken(String target) {
        for (String method : List.of("GET", "HEAD", "OPTIONS")) {
            RawHttp.Answer answer = RawHttp.send(port, method, target, Map.of(), null);
            assertTrue(answer.status() == 401 || answer.status() == 400, method + " " + target + " -> " + answer.status());
            assertFalse(answer.body().contains("heartbeat_test_up"), method + " " + target + " leaked the metrics");
            assertFalse(answer.body().contains("\"customers\""), method + " " + target + " leaked data");
        }
    }

    @Test
    void theSameSpellingsWithTheTokenReachTheirRoute() {
        assertEquals(200, RawHttp.get(port, "/metrics", WITH_TOKEN).status());
        RawHttp.Answer slash = RawHttp.get(port, "/metrics/", WITH_TOKEN);
        assertTrue(slash.status() == 200 || slash.status() == 404, "with the token the router decides: " + slash.status());
        assertEquals(200, RawHttp.get(port, "/api/overview", WITH_TOKEN).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/%2e%2e/%2e%2e/%2e%2e/metrics", "/%2F..%2Fmetrics", "/api%5Coverview",
            "/..", "/../metrics", "/api/%zz", "/api/%c0%af", "/api/%00", "/api/\u00e9"})
    void anUnreadablePathIsRefused(String target) {
        RawHttp.Answer answer = RawHttp.get(port, target, WITH_TOKEN);
        assertEquals(400, answer.status(), target);
        assertFalse(answer.body().contains("heartbeat_test_up"), target);
    }

    @Test
    void theProbesAreOpenToAnyHostAndRevealNothingElse() {
        for (String host : new String[]{"127.0.0.1:" + port, "evil.test", "10.9.8.7:8080"}) {
            assertEquals(200, RawHttp.get(port, "/health/live", Map.of("Host", host)).status(), "live, Host " + host);
            assertEquals(200, RawHttp.get(port, "/health/ready", Map.of("Host", host)).status(), "ready, Host " + host);
        }
        // HTTP/1.0 without Host, as a container health check sends it
        assertEquals(200, RawHttp.http10(port, "/health/ready").status());
        RawHttp.Answer ready = RawHttp.get(port, "/health/ready", Map.of());
        assertFalse(ready.body().contains("cust-"), ready.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.test", "evil.test:" + 0, "localhost.evil.test", "127.0.0.1.nip.io", "heartbeat.example.org.evil.test",
            "", "a b", "[::1", "localhost:99999", "user@localhost"})
    void aRequestNamingAnotherHostIsRefused(String host) {
        for (String target : List.of("/", "/api/overview", "/metrics")) {
            RawHttp.Answer answer = RawHttp.get(port, target, Map.of("Host", host, "Authorization", "Bearer " + TOKEN));
            assertTrue(answer.status() == 421 || answer.status() == 400, "Host " + host + " " + target + " -> " + answer.status());
            assertFalse(answer.body().contains("heartbeat_test_up"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8080", "LOCALHOST", "127.0.0.1", "10.1.2.3:80", "[::1]:8080",
            "heartbeat.example.org", "Heartbeat.Example.Org:443", "heartbeat.example.org."})
    void loopbackNamesAddressesAndConfiguredNamesAreServed(String host) {
        RawHttp.Answer answer = RawHttp.get(port, "/api/meta", Map.of("Host", host, "Authorization", "Bearer " + TOKEN));
        assertEquals(200, answer.status(), "Host " + host + ": " + answer.body());
    }

    @Test
    void aRequestWithoutHostIsRefusedExceptByTheProbes() {
        Map<String, String> noHost = new java.util.HashMap<>(WITH_TOKEN);
        noHost.put("Host", null);
        // HTTP/1.1 requires Host: Jetty itself answers 400 before the gate; either way nothing is served
        int status = RawHttp.get(port, "/api/meta", noHost).status();
        assertTrue(status == 400 || status == 421, "no Host -> " + status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "https://evil.example", "http://evil.test:PORT", "http://127.0.0.1:1",
            "http://127.0.0.1", "http://localhost:PORT", "http://127.0.0.1:PORT/path", "ftp://127.0.0.1:PORT",
            "http://user@127.0.0.1:PORT"})
    void aStateChangingRequestFromAnotherOriginIsRefused(String origin) {
        String id = "cust-00001/tachycardia/1.000000";
        Map<String, String> headers = new java.util.HashMap<>(asResponder);
        headers.put("Content-Type", "application/json");
        headers.put("Origin", origin.isEmpty() ? null : origin.replace("PORT", Integer.toString(port)));
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            RawHttp.Answer answer = RawHttp.send(port, method, "/api/alerts/" + id + "/ack", headers, "{}");
            assertEquals(403, answer.status(), method + " from Origin " + origin + ": " + answer.body());
            assertTrue(answer.body().contains("origin_not_allowed"), answer.body());
        }
    }

    @Test
    void aStateChangingRequestFromTheDashboardsOwnOriginReachesTheRoute() {
        Map<String, String> headers = new java.util.HashMap<>(asResponder);
        headers.put("Content-Type", "application/json");
        headers.put("Origin", "http://127.0.0.1:" + port);
        RawHttp.Answer answer = RawHttp.send(port, "POST", "/api/alerts/cust-00001/tachycardia/1.000000/ack", headers, "{}");
        assertEquals(404, answer.status(), "past the gate, the route answers: no such alert. " + answer.body());
        headers.put("Host", "heartbeat.example.org");
        headers.put("Origin", "https://heartbeat.example.org");
        answer = RawHttp.send(port, "POST", "/api/alerts/cust-00001/tachycardia/1.000000/ack", headers, "{}");
        assertEquals(404, answer.status(), "behind a TLS proxy, the public name and scheme: " + answer.body());
    }

    @Test
    void withoutTheTokenAStateChangingRequestIs401WhateverItsOrigin() {
        RawHttp.Answer answer = RawHttp.send(port, "POST", "/api/alerts/x/ack", Map.of("Origin", "https://evil.example"), "{}");
        assertEquals(401, answer.status());
    }

    @Test
    void theSharedTokenReadsButNeverActs() {
        Map<String, String> headers = new java.util.HashMap<>(WITH_TOKEN);
        headers.put("Content-Type", "application/json");
        headers.put("Origin", "http://127.0.0.1:" + port);
        RawHttp.Answer answer = RawHttp.send(port, "POST", "/api/alerts/cust-00001/tachycardia/1.000000/ack", headers, "{}");
        assertEquals(403, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"forbidden\"") && answer.body().contains("responder"), answer.body());
    }
}
