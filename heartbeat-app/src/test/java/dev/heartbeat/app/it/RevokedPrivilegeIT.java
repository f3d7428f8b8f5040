package dev.heartbeat.app.it;

import dev.heartbeat.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A permanent store error ends ingestion instead of pausing it for ever: a consumer connected as
 * heartbeat_ingest loses its INSERT privilege mid-stream, and exits 1 with one line naming the refusal;
 * once setup-database has granted it back, a restarted consumer stores everything exactly once.
 */
class RevokedPrivilegeIT {

    static final String PASSWORD = "ingest password 1";
    @RegisterExtension
    static final TestServers servers = new TestServers();

    static void setupDatabase() {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[]{"setup-database", "--jdbc-url", servers.jdbcUrl(), "--db-user", "postgres"},
                Map.of("HEARTBEAT_INGEST_DB_PASSWORD", PASSWORD), new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(0, code, out.toString());
    }

    @Test
    void aRevokedPrivilegeStopsTheConsumerWithOneLineAndAGrantBackLosesNothing(@TempDir Path logs) throws Exception {
        setupDatabase();
        try (Publishing publishing = new Publishing(servers.kafka(), 50, 200).start(Duration.ofSeconds(60))) {
            try (ChildProcess consumer = servers.consumerAs("heartbeat_ingest", PASSWORD, logs.resolve("first.log"), List.of())) {
                consumer.awaitLine(line -> line.contains("readings/s"), Duration.ofSeconds(60));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (servers.accounted() < 1_000 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                // revoked while readings still come: the next batch is refused
                servers.execute("REVOKE INSERT ON heartbeat_records FROM heartbeat_ingest");
                long revoked = System.nanoTime();
                int exit = consumer.waitFor(Duration.ofSeconds(60));
                assertEquals(1, exit, "the consumer ends, exit 1:\n" + consumer.output());
                System.out.printf("consumer stopped %.1f s after the REVOKE%n", (System.nanoTime() - revoked) / 1e9);
                // one line per ingest loop (a thread each, three by default)
                List<String> stopped = consumer.output().lines().filter(line -> line.contains("The ingest loop")).toList();
                assertTrue(!stopped.isEmpty() && stopped.size() <= 3, consumer.output());
                for (String line : stopped) {
                    assertTrue(line.contains("permission denied for table heartbeat_records") && line.contains("42501")
                            && line.contains("start again"), line);
                }
                assertFalse(consumer.output().contains("\tat dev.heartbeat"), "one line, no stack trace:\n" + consumer.output());
            }
            setupDatabase(); // the operator's fix: the grants applied again
            publishing.awaitDone();
            try (ChildProcess consumer = servers.consumerAs("heartbeat_ingest", PASSWORD, logs.resolve("second.log"), List.of())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (servers.accounted() < publishing.published() && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertEquals(publishing.published(), servers.accounted(), consumer.output());
                assertEquals(publishing.readings.size(), servers.count("SELECT count(*) FROM heartbeat_records"), "nothing lost");
                assertEquals(0, servers.count("SELECT sum(duplicates) FROM stream_positions"), "nothing twice");
            }
        }
    }
}
