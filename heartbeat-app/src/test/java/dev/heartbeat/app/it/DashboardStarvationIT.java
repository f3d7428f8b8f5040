package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard cannot starve ingestion in one process: `run` with 20 dashboard requests stuck in the
 * database at once (every audited read waits on the audit chain's head row, which the test holds
 * locked) keeps ingesting at the producer's steady rate and stays ready, because the dashboard has a
 * pool of its own and its statements time out.
 */
class DashboardStarvationIT {

    static final String TOKEN = "starvation-test-token-0123456789";
    @RegisterExtension
    static final TestServers servers = new TestServers();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Messages accounted for per second over {@code window}. */
    double rate(Duration window) throws InterruptedException {
        long before = servers.accounted();
        long started = System.nanoTime();
        Thread.sleep(window.toMillis());
        return (servers.accounted() - before) * 1e9 / (System.nanoTime() - started);
    }

    @Test
    void twentyStuckDashboardRequestsLeaveIngestAtItsRateAndTheProcessReady(@TempDir Path logs) throws Exception {
        int webPort = TestServers.freePort();
        try (Publishing publishing = new Publishing(servers.kafka(), 100, 400).start(Duration.ofSeconds(75));
             ChildProcess run = ChildProcess.start(logs.resolve("run.log"), List.of(), Map.of("HEARTBEAT_WEB_TOKEN", TOKEN),
                     "run", "--kafka-bootstrap", servers.bootstrap(), "--kafka-replication-factor", "1",
                     "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres", "--web-port", Integer.toString(webPort),
                     "--status-every", "2s")) {
            run.awaitLine(line -> line.contains("readings/s"), Duration.ofSeconds(60));
            Thread.sleep(8_000); // past the start-up backlog
            double before = rate(Duration.ofSeconds(8));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            try (Connection holder = servers.connect(); Statement lock = holder.createStatement()) {
                holder.setAutoCommit(false);
                lock.execute("SELECT * FROM audit_head FOR UPDATE");
                for (int i = 0; i < 20; i++) {
                    clients.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            status(webPort, "/api/overview?range=15m");
                            answered.incrementAndGet();
                        }
                    }));
                }
                Thread.sleep(2_000); // every client stuck in the database by now
                long readyChecks = 0;
                long ready = 0;
                long started = System.nanoTime();
                long accountedBefore = servers.accounted();
                while (System.nanoTime() - started < Duration.ofSeconds(15).toNanos()) {
                    readyChecks++;
                    if (status(webPort, "/health/ready") == 200) {
                        ready++;
                    }
                    Thread.sleep(500);
                }
                double during = (servers.accounted() - accountedBefore) * 1e9 / (System.nanoTime() - started);
                System.out.printf("ingest %.0f/s before, %.0f/s with 20 stuck dashboard requests (%d answered, by timeout)%n",
                        before, during, answered.get());
                assertTrue(during >= 0.8 * before, "ingest kept its rate: " + during + " vs " + before + "\n" + run.output());
                assertEquals(readyChecks, ready, "ready throughout");
                holder.rollback();
            } finally {
                stop.set(true);
                for (Thread client : clients) {
                    client.join(Duration.ofSeconds(30));
                }
            }
            assertEquals(200, status(webPort, "/api/overview?range=15m"), "the dashboard answers again once the lock is gone");
        }
    }
}
