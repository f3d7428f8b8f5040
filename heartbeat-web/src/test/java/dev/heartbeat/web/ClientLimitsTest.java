package dev.heartbeat.web;

import dev.heartbeat.web.bench.SimulatedPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client's share: requests by a token bucket, live streams by count; beyond them 429, on the real HTTP server. */
class ClientLimitsTest {

    private static SimulatedPipeline pipeline;
    private static DashboardServer server;
    private static int port;

    @BeforeAll
    static void start() {
        pipeline = new SimulatedPipeline(Clock.systemUTC(), 3);
        pipeline.startIngest();
        server = DashboardServer.builder()
                .queries(pipeline.queries).lag(pipeline.lag).feed(pipeline.hub).clock(Clock.systemUTC())
                .metrics(() -> "").readiness(() -> true)
                .settings(DashboardSettings.defaults().withPort(0).withKeepAliveInterval(Duration.ofSeconds(1)))
                .clientLimits(new ClientLimits.Policy(5, 2, 2))
                .build();
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        pipeline.close();
    }

    @Test
    void theBucketGivesTheBurstAtOnceAndRefillsAtTheRate() {
        AtomicLong now = new AtomicLong();
        ClientLimits limits = new ClientLimits(new ClientLimits.Policy(3, 2, 1), now::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.tryRequest("ana"));
        }
        assertFalse(limits.tryRequest("ana"), "the burst is spent");
        assertTrue(limits.tryRequest("bo"), "another client has a bucket of its own");
        now.addAndGet(500_000_000L); // half a second at 2/s: one more
        assertTrue(limits.tryRequest("ana"));
        assertFalse(limits.tryRequest("ana"));
        now.addAndGet(60_000_000_000L); // a minute idle refills to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.tryRequest("ana"));
        }
        assertFalse(limits.tryRequest("ana"));
        assertTrue(limits.tryOpenStream("ana"));
        assertFalse(limits.tryOpenStream("ana"));
        limits.closeStream("ana");
        assertTrue(limits.tryOpenStream("ana"));
    }

    @Test
    void aClientBeyondItsShareOfRequestsIsAnswered429WithRetryAfter() throws Exception {
        ApiClient api = new ApiClient(port);
        Thread.sleep(3_000); // a full bucket whatever ran before
        int answered = 0;
        ApiClient.Answer refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            ApiClient.Answer answer = api.get("/api/meta");
            if (answer.status() == 429) {
                refused = answer;
            } else {
                assertEquals(200, answer.status());
                answered++;
            }
        }
        assertNotNull(refused, "the sixth request in a row is refused");
        assertEquals(5, answered, "the burst");
        assertEquals("too_many_requests", refused.json().get("error").asText());
        assertEquals("1", refused.header("Retry-After").orElseThrow());
        Thread.sleep(600); // 2 a second: one more after half a second
        assertEquals(200, api.get("/api/meta").status());
        assertEquals(200, api.get("/health/ready").status(), "the probes are not the client's share");
    }

    @Test
    void aClientBeyondItsShareOfLiveStreamsIsAnswered429() throws Exception {
        Thread.sleep(3_000);
        try (SseTestClient first = SseTestClient.open(port, "/api/stream?customers=a", null);
             SseTestClient second = SseTestClient.open(port, "/api/stream?customers=b", null)) {
            assertEquals(200, first.status());
            assertEquals(200, second.status());
            ApiClient.Answer third = new ApiClient(port).get("/api/stream", "Accept", "text/event-stream");
            assertEquals(429, third.status());
            assertEquals("too_many_streams", third.json().get("error").asText());
            second.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                try (SseTestClient again = SseTestClient.open(port, "/api/stream?customers=c", null)) {
                    status = again.status();
                }
                if (status == 200) {
                    break;
                }
            }
            assertEquals(200, status, "a closed stream gives its share back");
        }
    }
}
