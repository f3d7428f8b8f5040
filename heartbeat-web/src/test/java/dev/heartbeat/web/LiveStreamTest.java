package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.web.bench.SimulatedPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live stream end to end: a reading published to the bus is validated, stored by the real
 * ingest loop, handed to core's LiveReadingHub and pushed to a subscribed client within a second;
 * updates coalesce per customer, only followed customers are sent, idle streams get keep-alives,
 * and a client that leaves is removed.
 */
class LiveStreamTest {

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
                .settings(DashboardSettings.defaults().withPort(0).withStreamInterval(Duration.ofMillis(100))
                        .withKeepAliveInterval(Duration.ofSeconds(1)).withMaxStreamClients(6))
                // one client opens them all here: the server's own cap is under test, not a client's share
                .clientLimits(new ClientLimits.Policy(1_000, 1_000, 100))
                .build();
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        pipeline.close();
    }

    private static Reading reading(String customer, int bpm) {
        return new Reading(CustomerId.of(customer), Instant.now().truncatedTo(ChronoUnit.MILLIS), bpm, Activity.NORMAL);
    }

    private static boolean carries(SseTestClient.Event event, String customer) {
        return event.name().equals("readings") && event.data().contains("\"" + customer + "\"");
    }

    @Test
    void aStoredReadingReachesTheClientWithinOneSecond() throws Exception {
        try (SseTestClient client = SseTestClient.open(port, "/api/stream?customers=live-1,live-2", null)) {
            assertEquals(200, client.status());
            assertTrue(client.contentType().startsWith("text/event-stream"));
            SseTestClient.Event hello = client.await("hello", Duration.ofSeconds(5));
            assertNotNull(hello);
            assertEquals(2, hello.json().get("customers").size());

            for (int round = 0; round < 5; round++) {
                Reading sent = reading("live-1", 70 + round);
                long publishedAt = System.nanoTime();
                pipeline.publish(sent);
                SseTestClient.Event event = client.await(e -> carries(e, "live-1"), Duration.ofSeconds(2));
                assertNotNull(event, "round " + round + ": no update within 2 s");
                long millis = (event.receivedNanos() - publishedAt) / 1_000_000;
                assertTrue(millis < 1000, "round " + round + ": update took " + millis + " ms");
                JsonNode row = event.json().get("r").get(0);
                assertEquals("live-1", row.get(0).asText());
                assertEquals(sent.recordedAt().toEpochMilli(), row.get(1).asLong());
                assertEquals(sent.heartRate(), row.get(2).asInt());
                assertEquals("normal", row.get(3).asText());
                // streamed after it was made durable: the store already answers with it
                assertEquals(sent, pipeline.queries.latest(CustomerId.of("live-1")).orElseThrow());
            }
        }
    }

    @Test
    void updatesCoalesceToTheNewestReadingPerCustomerAndOnlyFollowedCustomersAreSent() throws Exception {
        try (SseTestClient client = SseTestClient.open(port, "/api/stream?customers=co-1", null)) {
            assertNotNull(client.await("hello", Duration.ofSeconds(5)));
            Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<Reading> burst = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                burst.add(new Reading(CustomerId.of("co-1"), base.plusMillis(i), 60 + i, Activity.EXERCISE));
                burst.add(new Reading(CustomerId.of("other-1"), base.plusMillis(i), 100, Activity.REST));
            }
            // one committed batch, straight into the hub the ingest loop feeds
            pipeline.hub.committed(new StoreBatch(burst, List.of(), List.of(new PartitionRange(
                    new StreamPartition("burst", 0), 0, burst.size()))), new WriteOutcome.Committed(burst.size(), 0, 0));
            SseTestClient.Event event = client.await(e -> carries(e, "co-1"), Duration.ofSeconds(2));
            assertNotNull(event);
            JsonNode rows = event.json().get("r");
            assertEquals(1, rows.size(), "one row per customer per push: " + rows);
            assertEquals(109, rows.get(0).get(2).asInt(), "the newest reading of the burst");
            assertEquals("elevated", rows.get(0).get(3).asText());
            assertNull(client.await(e -> e.name().equals("readings"), Duration.ofMillis(500)), "nothing more to send");
            client.drain().forEach(e -> assertFalse(e.data().contains("other-1")));
        }
    }

    @Test
    void everyClientGetsAPerSecondRateAndIdleStreamsGetKeepAlives() throws Exception {
        try (SseTestClient client = SseTestClient.open(port, "/api/stream", null)) {
            assertNotNull(client.await("hello", Duration.ofSeconds(5)));
            // the rate is global: wait for a quiet second so only this test's readings count
            assertNotNull(client.await(e -> e.name().equals("rate") && e.json().get("readings").asLong() == 0,
                    Duration.ofSeconds(10)));
            pipeline.publish(reading("rate-1", 45));
            pipeline.publish(reading("rate-2", 210));
            long seen = 0;
            long critical = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (seen < 2 && System.nanoTime() < deadline) {
                SseTestClient.Event rate = client.await("rate", Duration.ofSeconds(2));
                assertNotNull(rate);
                seen += rate.json().get("readings").asLong();
                critical += rate.json().get("byLevel").get("critical_high").asLong();
            }
            assertEquals(1, critical);
            assertEquals(2, seen, "both readings counted in the rate events");
            assertNotNull(client.await(":", Duration.ofSeconds(3)), "a keep-alive comment");
        }
    }

    @Test
    void aClientThatLeavesIsRemovedAndItsPlaceFreed() throws Exception {
        long before = waitForClients(0);
        SseTestClient client = SseTestClient.open(port, "/api/stream?customers=gone-1", null);
        assertNotNull(client.await("hello", Duration.ofSeconds(5)));
        assertEquals(before + 1, server.streamClients());
        client.close();
        // the next keep-alive (every second here) fails to write and ends the stream
        assertEquals(0, waitForClients(0));
    }

    @Test
    void aFullServerTurnsFurtherStreamsAwayWith503() throws Exception {
        waitForClients(0);
        List<SseTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                SseTestClient c = SseTestClient.open(port, "/api/stream", null);
                assertEquals(200, c.status());
                open.add(c);
            }
            ApiClient.Answer refused = new ApiClient(port).get("/api/stream", "Accept", "text/event-stream");
            assertEquals(503, refused.status());
            assertEquals("too_many_streams", refused.json().get("error").asText());
        } finally {
            for (SseTestClient c : open) {
                c.close();
            }
        }
        assertEquals(0, waitForClients(0));
        try (SseTestClient again = SseTestClient.open(port, "/api/stream", null)) {
            assertEquals(200, again.status(), "places are given back");
        }
    }

    @Test
    void theStreamNeedsTheEventStreamAcceptHeader() {
        ApiClient.Answer answer = new ApiClient(port).get("/api/stream");
        assertEquals(406, answer.status());
        assertEquals("not_acceptable", answer.json().get("error").asText());
    }

    private static long waitForClients(int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.streamClients() != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return server.streamClients();
    }
}
