package dev.heartbeat.web;

import dev.heartbeat.core.memory.InMemoryConsumerLag;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a bearer token set, every {@code /api} and {@code /metrics} request needs it; the page and
 * the health probes do not. Every answer carries the security headers.
 */
class DashboardSecurityTest {

    static final String TOKEN = "s3cret-token_for.tests~42";
    private static DashboardFixture fixture;
    private static ApiClient anonymous;
    private static ApiClient authorized;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.empty(DashboardSettings.defaults().withBearerToken(TOKEN));
        anonymous = fixture.api.withToken(null);
        authorized = fixture.api;
        fixture.pipeline.publish(new Reading(CustomerId.of("cust-00001"), DashboardFixture.NOW.minusSeconds(5), 72, Activity.REST));
        // 20 s of severe tachycardia: an alert fires after 10 s
        for (int s = 0; s < 20; s++) {
            fixture.pipeline.publish(new Reading(CustomerId.of("cust-00002"), DashboardFixture.NOW.minusSeconds(60 - s), 230,
                    Activity.NORMAL));
        }
        fixture.pipeline.awaitIngested(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static final List<String> PROTECTED = List.of("/api/meta", "/api/overview", "/api/customers", "/api/customers/cust-00001",
            "/api/customers/cust-00001/history", "/api/customers/cust-00001/stats", "/api/customers/cust-00001/readings",
            "/api/sparklines?customers=cust-00001", "/api/anomalies", "/api/rejects", "/api/pipeline", "/api/pipeline/lag",
            "/api/alerts/active", "/api/alerts", "/api/alerts/cust-00001/tachycardia/1.000000",
            "/api/nothing-here", "/metrics");

    @Test
    void everyApiAndMetricsRequestWithoutTheTokenIs401() {
        for (String path : PROTECTED) {
            ApiClient.Answer answer = anonymous.get(path);
            assertEquals(401, answer.status(), path);
            assertEquals("unauthorized", answer.json().get("error").asText(), path);
            assertEquals("Bearer realm=\"heartbeat\"", answer.header("WWW-Authenticate").orElseThrow(), path);
            assertFalse(answer.body().contains(TOKEN));
        }
    }

    @Test
    void aWrongTokenOrSchemeIs401() {
        for (String header : List.of("Bearer wrong-token-of-some-length", "Basic " + TOKEN, "Bearer", "Bearer ",
                TOKEN, "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1))) {
            ApiClient.Answer answer = anonymous.get("/api/overview", "Authorization", header);
            assertEquals(401, answer.status(), header);
        }
        // a bad parameter without the token is still a 401: nothing is answered to strangers
        assertEquals(401, anonymous.get("/api/customers?limit=abc").status());
    }

    @Test
    void theRightTokenOpensEveryEndpoint() {
        for (String path : PROTECTED) {
            ApiClient.Answer answer = authorized.get(path);
            int expected = path.equals("/api/nothing-here") || path.startsWith("/api/alerts/cust-00001/") ? 404 : 200;
            assertEquals(expected, answer.status(), path + ": " + answer.body());
        }
        assertEquals(200, anonymous.get("/api/overview", "Authorization", "bearer " + TOKEN).status(),
                "the scheme is case-insensitive");
    }

    @Test
    void acknowledgingAnAlertNeedsAPersonNotTheSharedToken() {
        String id = fixture.pipeline.alerts.active(10).getFirst().alert().id();
        String path = "/api/alerts/" + id + "/ack";
        for (String header : List.of("", "Bearer wrong-token-of-some-length", "Basic " + TOKEN)) {
            ApiClient.Answer answer = header.isEmpty() ? anonymous.postJson(path, "{\"by\":\"stranger\"}")
                    : anonymous.post(path, "application/json", "{\"by\":\"stranger\"}", "Authorization", header);
            assertEquals(401, answer.status(), header);
        }
        // a refused body or type without the token is a 401 too: strangers learn nothing
        assertEquals(401, anonymous.post(path, "text/plain", "by=stranger").status());
        assertEquals(401, anonymous.postJson(path, "{}").status());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty(), "nothing was written");

        // the shared token is for machines: it reads, it never acts (a person's API token acts: SignInTest)
        ApiClient.Answer ack = authorized.postJson(path, "{}");
        assertEquals(403, ack.status(), ack.body());
        assertEquals("forbidden", ack.json().get("error").asText());
        assertTrue(fixture.pipeline.alerts.alert(id).orElseThrow().acknowledgement().isEmpty(), "nothing was written");
    }

    @Test
    void theStreamNeedsTheTokenToo() throws IOException, InterruptedException {
        try (SseTestClient without = SseTestClient.open(fixture.port(), "/api/stream", null)) {
            assertEquals(401, without.status());
        }
        try (SseTestClient with = SseTestClient.open(fixture.port(), "/api/stream", TOKEN)) {
            assertEquals(200, with.status());
            assertNotNull(with.await("hello", Duration.ofSeconds(5)));
        }
    }

    @Test
    void thePageAndTheProbesNeedNoToken() {
        assertEquals(200, anonymous.get("/").status());
        assertEquals(200, anonymous.get("/js/app.js").status());
        assertEquals(200, anonymous.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").status());
        assertEquals(200, anonymous.get("/health/live").status());
        assertEquals(200, anonymous.get("/health/ready").status());
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : List.of("/", "/js/app.js", "/api/overview", "/health/live")) {
            ApiClient.Answer answer = authorized.get(path);
            assertEquals(DashboardServer.CONTENT_SECURITY_POLICY, answer.header("Content-Security-Policy").orElseThrow(), path);
            assertEquals("nosniff", answer.header("X-Content-Type-Options").orElseThrow(), path);
            assertEquals("DENY", answer.header("X-Frame-Options").orElseThrow(), path);
            assertEquals("no-referrer", answer.header("Referrer-Policy").orElseThrow(), path);
        }
        String csp = DashboardServer.CONTENT_SECURITY_POLICY;
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assertTrue(csp.contains("frame-ancestors 'none'"));
        assertEquals("no-store", authorized.get("/api/overview").header("Cache-Control").orElseThrow());
    }

    @Test
    void anUnexpectedFailureIsA500WithAnIncidentAndNoStackTrace() throws InterruptedException {
        DashboardServer failing = DashboardServer.builder()
                .queries(fixture.pipeline.queries).lag(new InMemoryConsumerLag(fixture.pipeline.bus, fixture.pipeline.store))
                .feed(fixture.pipeline.hub).clock(fixture.clock)
                // the one failure no real component here can produce on demand: a metrics renderer that breaks
                .metrics(() -> {
                    throw new IllegalStateException("registry corrupted: secret internals");
                })
                .readiness(() -> {
                    throw new IllegalStateException("readiness probe broke");
                })
                .settings(DashboardSettings.defaults().withPort(0))
                .build();
        try (failing) {
            ApiClient api = new ApiClient(failing.start());
            ApiClient.Answer answer = api.get("/metrics");
            assertEquals(500, answer.status());
            assertEquals("internal", answer.json().get("error").asText());
            assertTrue(answer.json().get("message").asText().matches(".*incident [0-9a-f]{8}.*"));
            assertFalse(answer.body().contains("secret internals"));
            DashboardParametersTest.assertNoInternals(answer.body());
            ApiClient.Answer ready = api.get("/health/ready");
            assertEquals(503, ready.status(), "a readiness check that throws means not ready");
        }
    }

    @Test
    void theSettingsNeverPrintTheToken() {
        String text = DashboardSettings.defaults().withBearerToken(TOKEN).toString();
        assertFalse(text.contains(TOKEN));
        assertTrue(text.contains("(set)"));
    }
}
