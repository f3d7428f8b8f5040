package dev.heartbeat.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.app.observability.IngestMetricsAccess;
import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.observability.Metrics;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.postgres.DatabaseRoles;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.postgres.PostgresReadingStore;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.postgres.PostgresSummarizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of the provisioned Grafana dashboard, run for real: its SQL against a migrated
 * PostgreSQL holding readings, as the read-only heartbeat_reporting role Grafana connects as; its PromQL
 * checked against the metric names the app exports.
 */
class GrafanaDashboardTest {

    static final String REPORTING_PASSWORD = "reporting password";
    static EmbeddedDatabase server;
    static PostgresDatabase database;
    static JsonNode dashboard;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = EmbeddedDatabase.start(dir, port, "heartbeat");
        database = PostgresDatabase.connect(PostgresSettings.of(server.jdbcUrl(), EmbeddedDatabase.USER, ""));
        database.migrate();
        List<Reading> readings = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 300; i++) {
            readings.add(new Reading(CustomerId.of("cust-" + (i % 3)), now.minusSeconds(300 - i), i % 50 == 0 ? 215 : 80, Activity.NORMAL));
        }
        StreamPartition partition = new StreamPartition("heartbeat-data", 0);
        WriteOutcome outcome = new PostgresReadingStore(database).write(new StoreBatch(readings,
                List.of(RejectedMessage.of(partition, 300, RejectReason.MALFORMED_JSON, "x", new byte[] {1}, now)),
                List.of(new PartitionRange(partition, 0, 301))));
        assertInstanceOf(WriteOutcome.Committed.class, outcome);
        new PostgresSummarizer(database).summarize();
        // Grafana connects as the read-only reporting role, as compose configures it
        DatabaseRoles.setUp(database, Map.of(DatabaseRoles.Role.REPORTING, REPORTING_PASSWORD));
        dashboard = new ObjectMapper().readTree(Path.of("..", "deploy", "grafana", "dashboards", "heartbeat.json").toFile());
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        server.close();
    }

    static List<JsonNode> targets(String datasourceType) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("datasource").get("type").asText().equals(datasourceType)) {
                panel.get("targets").forEach(found::add);
            }
        }
        return found;
    }

    @Test
    void everySqlQueryRunsAgainstTheRealSchemaAndFindsTheReadings() throws Exception {
        List<JsonNode> sql = targets("grafana-postgresql-datasource");
        assertTrue(sql.size() >= 4, "the dashboard queries PostgreSQL");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), DatabaseRoles.Role.REPORTING.roleName(), REPORTING_PASSWORD);
             Statement s = c.createStatement()) {
            for (JsonNode target : sql) {
                String query = target.get("rawSql").asText()
                        .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 BETWEEN now() - interval '6 hours' AND now()");
                try (ResultSet rows = s.executeQuery(query)) {
                    assertTrue(rows.next(), "no row from: " + query);
                }
            }
        }
    }

    @Test
    void everyPrometheusQueryNamesAMetricTheAppExports() {
        Metrics metrics = new Metrics();
        IngestMetricsAccess.register(metrics, Clock.systemUTC());
        metrics.watchLag(() -> List.of(new ConsumerLag.PartitionLag(new StreamPartition("heartbeat-data", 0), 10, 5)));
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String exported = metrics.scrape();
        Pattern metric = Pattern.compile("\\b(heartbeat_[a-z_]+)");
        for (JsonNode target : targets("prometheus")) {
            Matcher names = metric.matcher(target.get("expr").asText());
            assertTrue(names.find(), target.toString());
            do {
                assertTrue(exported.contains(names.group(1)), names.group(1) + " is not exported:\n" + exported);
            } while (names.find());
        }
        metrics.close();
    }
}
