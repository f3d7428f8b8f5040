package dev.heartbeat.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A silence on real Kafka and PostgreSQL, with consumer processes delivering to a webhook: a muted
 * customer's alert is stored but not sent while another's is; the consumer is killed with SIGKILL; when
 * the silence is ended, two consumers' dispatchers share the outbox and the held alert reaches the
 * webhook once.
 */
class SilenceIT {

    @RegisterExtension
    static final TestServers servers = new TestServers();

    /** The webhook's POSTs: "customer status". */
    private final List<String> received = new CopyOnWriteArrayList<>();

    private ChildProcess consumer(Path output, int port) throws Exception {
        return servers.consumer(output, List.of("-Xmx256m"), "--alert-webhook-url", "http://127.0.0.1:" + port + "/hook");
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    private long count(String customer) {
        return received.stream().filter(r -> r.startsWith(customer + " ")).count();
    }

    @Test
    void aSilencedAlertIsHeldAcrossAKillAndDeliveredOnceWhenTheSilenceEnds(@TempDir Path logs) throws Exception {
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
            received.add(body.path("alerts").get(0).path("labels").path("customer_id").asText() + " "
                    + body.path("status").asText());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        int port = webhook.getAddress().getPort();
        try {
            try (ChildProcess first = consumer(logs.resolve("consumer-1.log"), port)) {
                first.awaitLine(line -> line.startsWith("Consuming "), Duration.ofSeconds(60)); // the schema is migrated
                // amy's tachycardia is snoozed, as the dashboard stores it; bob's is not
                servers.execute("INSERT INTO silences (customer_id, rule, starts_at, ends_at, reason, created_by, created_at) "
                        + "VALUES ('amy', 'tachycardia', now(), now() + interval '1 hour', 'on the phone with her', 'nurse', now())");
                Instant start = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
                List<Reading> episode = new ArrayList<>();
                for (String customer : List.of("amy", "bob")) {
                    episode.addAll(AlertRestoreIT.readings(customer, start, AlertRestoreIT.constant(75, 175))); // high after 60 s
                }
                servers.publish(episode);
                await("bob's alert reaches the webhook:\n" + first.output(), Duration.ofSeconds(60), () -> count("bob") == 1);
                await("amy's alert is stored and held by the silence:\n" + first.output(), Duration.ofSeconds(10), () ->
                        servers.count("SELECT count(*) FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id "
                                + "WHERE a.customer_id = 'amy' AND a.state = 'firing' AND o.held AND o.silence_id IS NOT NULL") == 1);
                Thread.sleep(3_000); // several dispatch rounds
                assertEquals(0, count("amy"), "nothing of amy's alert is sent while the silence lasts: " + received);
                first.kill();
            }

            servers.execute("UPDATE silences SET ended_at = now(), ended_by = 'nurse'");
            try (ChildProcess second = consumer(logs.resolve("consumer-2.log"), port);
                 ChildProcess third = consumer(logs.resolve("consumer-3.log"), port)) {
                await("amy's alert is sent once the silence ended:\n" + second.output(), Duration.ofSeconds(60),
                        () -> count("amy") >= 1);
                Thread.sleep(5_000); // both dispatchers keep polling the outbox
                assertEquals(List.of("amy firing"), received.stream().filter(r -> r.startsWith("amy ")).toList(),
                        "delivered once, by one of the two dispatchers");
                assertEquals(1, count("bob"), "bob's alert was not sent again: " + received);
                assertTrue(second.isAlive() && third.isAlive(), second.output() + third.output());
            }
        } finally {
            webhook.stop(0);
        }
    }
}
