package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.core.query.Cursor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every endpoint refuses every bad parameter with HTTP 400 and a JSON message naming it: never a
 * 500, never a stack trace, never the bad value echoed unbounded.
 */
class DashboardParametersTest {

    private static DashboardFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = DashboardFixture.empty(DashboardSettings.defaults());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static final String LONG_ID = "a".repeat(51);
    private static final String MANY_IDS = IntStream.rangeClosed(1, 101).mapToObj(i -> "c" + i).collect(Collectors.joining(","));

    static Stream<Arguments> badRequests() {
        String foreignCursor = new Cursor(Instant.parse("2026-11-29T12:00:00Z"), "not an id").encode();
        String farCursor = new Cursor(Instant.parse("5000-01-01T00:00:00Z"), "cust-00001").encode();
        String readingCursor = new Cursor(Instant.parse("2026-11-29T12:00:00Z"), "cust-00001").encode();
        return Stream.of(
                // time ranges, on the overview and everywhere else
                arguments("/api/overview?range=abc", "range"),
                arguments("/api/overview?range=0m", "range"),
                arguments("/api/overview?range=30s", "range"),
                arguments("/api/overview?range=40d", "range"),
                arguments("/api/overview?range=9999999d", "range"),
                arguments("/api/overview?range=99999999999999999999h", "range"),
                arguments("/api/overview?range=-5m", "range"),
                arguments("/api/overview?range=1h&range=2h", "range"),
                arguments("/api/overview?range=1h&from=2026-11-29T11:00:00Z&to=2026-11-29T12:00:00Z", "range"),
                arguments("/api/overview?from=2026-11-29T11:00:00Z", "to"),
                arguments("/api/overview?to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/overview?from=yesterday&to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/overview?from=2026-11-29T11:00:00Z&to=2026-13-40T99:00:00Z", "to"),
                arguments("/api/overview?from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/overview?from=2026-11-29T12:00:00Z&to=2026-11-29T12:00:00Z", "from"),
                arguments("/api/overview?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from"),
                arguments("/api/overview?from=%2B999999999-12-31T23:59:59Z&to=%2B1000000000-01-01T00:00:00Z", "from"),
                arguments("/api/overview?from=1900-01-01T00:00:00Z&to=1900-01-02T00:00:00Z", "from"),
                arguments("/api/overview?from=" + "9".repeat(500) + "&to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/overview?window=1h", "window"),
                arguments("/api/overview?%3Cscript%3E=1", "<script>"),
                // tiles
                arguments("/api/customers?limit=0", "limit"),
                arguments("/api/customers?limit=501", "limit"),
                arguments("/api/customers?limit=abc", "limit"),
                arguments("/api/customers?limit=1.5", "limit"),
                arguments("/api/customers?limit=99999999999999999999", "limit"),
                arguments("/api/customers?offset=-1", "offset"),
                arguments("/api/customers?offset=2000000", "offset"),
                arguments("/api/customers?sort=sideways", "sort"),
                arguments("/api/customers?level=purple", "level"),
                arguments("/api/customers?level=normal,", "level"),
                arguments("/api/customers?q=%3Cscript%3E", "q"),
                arguments("/api/customers?q=" + LONG_ID, "q"),
                // one customer
                arguments("/api/customers/%3Cb%3Ehi%3C%2Fb%3E", "id"),
                arguments("/api/customers/" + LONG_ID, "id"),
                arguments("/api/customers/a%20b/history", "id"),
                arguments("/api/customers/cust-00001?limit=1", "limit"),
                arguments("/api/customers/cust-00001/history?points=5", "points"),
                arguments("/api/customers/cust-00001/history?points=6000", "points"),
                arguments("/api/customers/cust-00001/history?range=1y", "range"),
                arguments("/api/customers/cust-00001/history?range=5s", "range"),
                arguments("/api/customers/cust-00001/stats?range=32d", "range"),
                arguments("/api/customers/cust-00001/stats?points=10", "points"),
                arguments("/api/customers/cust-00001/readings?cursor=garbage", "cursor"),
                arguments("/api/customers/cust-00001/readings?cursor=" + foreignCursor, "cursor"),
                arguments("/api/customers/cust-00001/readings?cursor=" + farCursor, "cursor"),
                arguments("/api/customers/cust-00001/readings?limit=501", "limit"),
                arguments("/api/customers/cust-00001/readings?level=loud", "level"),
                // feeds
                arguments("/api/anomalies?level=normal", "level"),
                arguments("/api/anomalies?level=critical,normal", "level"),
                arguments("/api/anomalies?customer=bad!", "customer"),
                arguments("/api/anomalies?customer=" + LONG_ID, "customer"),
                arguments("/api/anomalies?customer=..", "customer"),
                arguments("/api/anomalies?limit=1000", "limit"),
                arguments("/api/anomalies?cursor=%3D%3D%3D", "cursor"),
                arguments("/api/anomalies?from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z", "from"),
                arguments("/api/rejects?reason=nope", "reason"),
                arguments("/api/rejects?cursor=" + readingCursor, "cursor"),
                arguments("/api/rejects?limit=-3", "limit"),
                // sparklines
                arguments("/api/sparklines", "customers"),
                arguments("/api/sparklines?customers=" + MANY_IDS, "customers"),
                arguments("/api/sparklines?customers=cust-00001,%3Cb%3E", "customers"),
                arguments("/api/sparklines?customers=cust-00001&range=2h", "range"),
                arguments("/api/sparklines?customers=cust-00001&points=5", "points"),
                // pipeline
                arguments("/api/pipeline?range=7d&bucket=1s", "bucket"),
                arguments("/api/pipeline?bucket=0s", "bucket"),
                arguments("/api/pipeline?bucket=2d", "bucket"),
                arguments("/api/pipeline?range=10s", "range"),
                arguments("/api/pipeline/lag?partition=1", "partition"),
                arguments("/api/meta?verbose=1", "verbose"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @MethodSource("badRequests")
    void badParametersAreA400NamingTheParameter(String pathAndQuery, String parameter) {
        ApiClient.Answer answer = fixture.api.get(pathAndQuery);
        assertEquals(400, answer.status(), answer.body());
        JsonNode error = answer.json();
        assertEquals("bad_parameter", error.get("error").asText());
        assertEquals(parameter, error.get("parameter").asText());
        String message = error.get("message").asText();
        assertFalse(message.isBlank());
        assertTrue(message.length() < 400, "bounded message: " + message.length());
        assertNoInternals(answer.body());
    }

    @ParameterizedTest(name = "stream {0} -> 400 naming {1}")
    @MethodSource("badStreams")
    void theStreamValidatesItsParametersBeforeItOpens(String pathAndQuery, String parameter) {
        ApiClient.Answer answer = fixture.api.get(pathAndQuery, "Accept", "text/event-stream");
        assertEquals(400, answer.status(), answer.body());
        assertEquals(parameter, answer.json().get("parameter").asText());
        assertNoInternals(answer.body());
    }

    @Test
    void aQueryStringThatIsNotUrlEncodingIsA400() throws IOException {
        // java.net.URI refuses to send this, so it goes over a plain socket
        try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/customers?q=%zz&limit=%4 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("\"parameter\":\"query\""), answer);
            assertNoInternals(answer);
        }
    }

    static Stream<Arguments> badStreams() {
        String many = IntStream.rangeClosed(1, 201).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        return Stream.of(
                arguments("/api/stream?customers=%3Cscript%3E", "customers"),
                arguments("/api/stream?customers=" + many, "customers"),
                arguments("/api/stream?customer=cust-00001", "customer"));
    }

    static void assertNoInternals(String body) {
        for (String leak : new String[] {"Exception", "\tat ", "at dev.heartbeat", "at io.javalin", "java.lang"}) {
            assertFalse(body.contains(leak), "no internals in " + body);
        }
    }
}
