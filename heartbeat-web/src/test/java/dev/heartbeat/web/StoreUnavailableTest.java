package dev.heartbeat.web;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store that is down makes every endpoint that reads it answer 503 (with Retry-After), and only while it is down. */
class StoreUnavailableTest {

    private static DashboardFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.empty(DashboardSettings.defaults());
        fixture.pipeline.publish(new Reading(CustomerId.of("cust-00001"), DashboardFixture.NOW.minusSeconds(5), 72, Activity.REST));
        fixture.pipeline.awaitIngested(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static final List<String> STORE_BACKED = List.of("/api/overview", "/api/customers", "/api/customers/cust-00001",
            "/api/customers/cust-00001/history?range=1h", "/api/customers/cust-00001/stats", "/api/customers/cust-00001/readings",
            "/api/sparklines?customers=cust-00001", "/api/anomalies", "/api/rejects", "/api/pipeline", "/api/pipeline/lag",
            "/api/alerts/active", "/api/alerts");

    @Test
    void everyStoreBackedEndpointIs503WhileTheStoreIsDown() {
        fixture.pipeline.faults.setAvailable(false);
        try {
            for (String path : STORE_BACKED) {
                ApiClient.Answer answer = fixture.api.get(path);
                assertEquals(503, answer.status(), path + ": " + answer.body());
                assertEquals("store_unavailable", answer.json().get("error").asText(), path);
                assertEquals("5", answer.header("Retry-After").orElseThrow(), path);
                DashboardParametersTest.assertNoInternals(answer.body());
            }
            // what does not need the store keeps answering
            assertEquals(200, fixture.api.get("/api/meta").status());
            assertEquals(200, fixture.api.get("/health/live").status());
            // an acknowledgement cannot be recorded either
            ApiClient.Answer ack = fixture.api.postJson("/api/alerts/cust-00001/tachycardia/1.000000/ack", "{}");
            assertEquals(503, ack.status(), ack.body());
            assertEquals(503, fixture.api.get("/api/alerts/cust-00001/tachycardia/1.000000").status());
            // and a bad parameter is still the client's fault, found before the store is asked
            assertEquals(400, fixture.api.get("/api/customers?limit=0").status());
            assertEquals(400, fixture.api.get("/api/alerts/active?limit=0").status());
            assertEquals(400, fixture.api.postJson("/api/alerts/cust-00001/tachycardia/1.000000/ack", "{\"by\":\"me\"}").status());
        } finally {
            fixture.pipeline.faults.setAvailable(true);
        }
        for (String path : STORE_BACKED) {
            assertEquals(200, fixture.api.get(path).status(), path);
        }
    }

    @Test
    void aLagSourceThatFailsIsA503OfItsOwn() {
        // a broker that cannot be asked: no in-memory component fails this way on demand, so a lambda stands in
        DashboardServer server = DashboardServer.builder()
                .queries(fixture.pipeline.queries)
                .lag(() -> {
                    throw new HeartbeatException("broker unreachable");
                })
                .feed(fixture.pipeline.hub).clock(fixture.clock).metrics(() -> "").readiness(() -> true)
                .settings(DashboardSettings.defaults().withPort(0))
                .build();
        try (server) {
            ApiClient api = new ApiClient(server.start());
            ApiClient.Answer answer = api.get("/api/pipeline/lag");
            assertEquals(503, answer.status());
            assertEquals("lag_unavailable", answer.json().get("error").asText());
            assertEquals(200, api.get("/api/pipeline").status(), "the rest of pipeline health still answers");
        }
    }
}
