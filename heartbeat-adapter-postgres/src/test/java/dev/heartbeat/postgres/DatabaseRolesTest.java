package dev.heartbeat.postgres;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.postgres.DatabaseRoles.Outcome;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Least privilege on a real server: the setup hands a database migrated by a superuser to the owner
 * (idempotently), each service role does its work through the adapter's own classes, and is refused the
 * rest, with PostgreSQL's "permission denied" rather than by the application's good manners.
 */
class DatabaseRolesTest {

    private static final String DATABASE = "roles";
    private static final Map<DatabaseRoles.Role, String> PASSWORDS = Map.of(
            DatabaseRoles.Role.INGEST, "ingest password 1",
            DatabaseRoles.Role.DASHBOARD, "dashboard password 2",
            DatabaseRoles.Role.REPORTING, "reporting password 3");

    private static TestServer server;
    private static Outcome firstSetup;
    private static PostgresDatabase ingest;
    private static PostgresDatabase dashboard;
    private static PostgresDatabase reporting;

    @BeforeAll
    static void setUp() {
        // a database as an earlier release left it: migrated by the superuser, before the roles existed
        try (PostgresDatabase admin = TestDatabases.open(DATABASE)) {
            firstSetup = DatabaseRoles.setUp(admin, PASSWORDS);
        }
        server = TestDatabases.server();
        ingest = as(DatabaseRoles.Role.INGEST);
        dashboard = as(DatabaseRoles.Role.DASHBOARD);
        reporting = as(DatabaseRoles.Role.REPORTING);
    }

    @AfterAll
    static void close() {
        for (PostgresDatabase database : new PostgresDatabase[] {ingest, dashboard, reporting}) {
            if (database != null) {
                database.close();
            }
        }
    }

    static PostgresDatabase as(DatabaseRoles.Role role) {
        return PostgresDatabase.connect(PostgresSettings.of(server.jdbcUrl(DATABASE), role.roleName(), PASSWORDS.get(role))
                .withPoolSize(2).withServerWait(Duration.ofSeconds(10)));
    }

    /** Runs {@code sql} as {@code role} on its own connection, for the statements no adapter class makes. */
    static void execute(DatabaseRoles.Role role, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(DATABASE), role.roleName(), PASSWORDS.get(role));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static void refused(DatabaseRoles.Role role, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> execute(role, sql), role.roleName() + " may not: " + sql);
        assertTrue(e.getSQLState().equals("42501") || e.getSQLState().equals("25006"),
                role.roleName() + ": " + sql + " -> " + e.getSQLState() + " " + e.getMessage());
    }

    static void allowed(DatabaseRoles.Role role, String sql) {
        try {
            execute(role, sql);
        } catch (SQLException e) {
            fail(role.roleName() + " may: " + sql + " -> " + e.getMessage());
        }
    }

    static long count(PostgresDatabase database, String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void theSetupHandsEverythingToTheOwnerAndCanRunAgain() {
        assertTrue(firstSetup.objectsHandedOver() > 20, "tables, views, functions of the earlier release: " + firstSetup);
        assertEquals(Map.of(DatabaseRoles.Role.OWNER, false, DatabaseRoles.Role.INGEST, true,
                DatabaseRoles.Role.DASHBOARD, true, DatabaseRoles.Role.REPORTING, true), firstSetup.canLogIn());
        try (PostgresDatabase admin = PostgresDatabase.connect(TestDatabases.settings(server, DATABASE))) {
            Outcome again = DatabaseRoles.setUp(admin, PASSWORDS);
            assertEquals(0, again.objectsHandedOver(), "nothing left to hand over");
            assertEquals(firstSetup.schemaVersion(), again.schemaVersion());
            assertEquals(0, count(admin, """
                    SELECT count(*) FROM pg_class c
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S', 'i')
                      AND c.relowner <> 'heartbeat_owner'::regrole"""), "every relation belongs to the owner");
            assertEquals("heartbeat_owner", admin.jdbi().withHandle(h -> h.createQuery(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()").mapTo(String.class).one()));
            boolean scram = admin.jdbi().withHandle(h -> h.createQuery(
                            "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'heartbeat_ingest'")
                    .mapTo(Boolean.class).one());
            assertTrue(scram, "the password is kept as a SCRAM verifier");
        }
        assertThrows(InvalidValueException.class, () -> DatabaseRoles.setUp(ingest, Map.of(DatabaseRoles.Role.INGEST, "short")));
        InvalidValueException notSuper = assertThrows(InvalidValueException.class, () -> DatabaseRoles.setUp(ingest, Map.of()));
        assertTrue(notSuper.getMessage().contains("needs a superuser"), notSuper.getMessage());
    }

    @Test
    void ingestStoresReadingsRejectsAndAlertsAndAppliesRetention() throws SQLException {
        assertEquals(firstSetup.schemaVersion(), ingest.ensureSchema(), "a service role checks the schema, it does not migrate");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PostgresReadingStore store = new PostgresReadingStore(ingest);
        List<Reading> readings = StoreFixtures.series("ingest-amy", now.minusSeconds(60), 12, 190);
        Reading first = readings.getFirst();
        Reading last = readings.getLast();
        Alert alert = new Alert(Alert.idOf(AlertRule.tachycardia(), first), CustomerId.of("ingest-amy"), AlertRule.tachycardia(),
                AnomalyLevel.HIGH, AlertState.FIRING, first, last, last, last.recordedAt(), Optional.empty());
        store.write(new StoreBatch(readings, List.of(StoreFixtures.reject(P0, 12, RejectReason.MALFORMED_JSON, "{")),
                List.of(new PartitionRange(P0, 0, 13)), List.of(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()))));
        // a gap and a replaced topic, as the source records them
        assertTrue(store.skip(new StreamGap(P0, 13, 20, now, StreamGap.Reason.REMOVED_BEFORE_READ, "the log starts at 20")));
        store.bindTopic(P0.topic(), "roles-1", false, now);
        assertInstanceOf(TopicBinding.Replaced.class, store.bindTopic(P0.topic(), "roles-2", true, now));
        refused(DatabaseRoles.Role.INGEST, "DELETE FROM stream_gaps");
        new PostgresSummarizer(ingest).summarize();
        new PostgresRetention(ingest, Clock.systemUTC()).run();
        new PostgresAlertStore(ingest).due(now.plusSeconds(5), 10);
        assertTrue(count(ingest, "SELECT count(*) FROM heartbeat_records WHERE customer_id = 'ingest-amy'") >= 12);

        refused(DatabaseRoles.Role.INGEST, "SELECT * FROM accounts");
        refused(DatabaseRoles.Role.INGEST, "SELECT * FROM api_tokens");
        refused(DatabaseRoles.Role.INGEST, "SELECT * FROM audit_log");
        refused(DatabaseRoles.Role.INGEST, "DELETE FROM heartbeat_records");
        refused(DatabaseRoles.Role.INGEST, "UPDATE heartbeat_records SET heart_rate = 1");
        refused(DatabaseRoles.Role.INGEST, "CREATE TABLE mine (x int)");
        refused(DatabaseRoles.Role.INGEST, "SELECT heartbeat_rebuild_summaries()");
        refused(DatabaseRoles.Role.INGEST, "TRUNCATE heartbeat_days");
        refused(DatabaseRoles.Role.INGEST, "COPY (SELECT 1) TO PROGRAM 'true'");
        allowed(DatabaseRoles.Role.INGEST, "SELECT count(*) FROM heartbeat_minute_totals");
    }

    @Test
    void theDashboardReadsAcknowledgesKeepsPeopleAndAppendsToTheAuditTrail() throws SQLException {
        assertEquals(firstSetup.schemaVersion(), dashboard.ensureSchema());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PostgresReadingQueries queries = new PostgresReadingQueries(dashboard);
        queries.latest(LatestQuery.all(10));
        queries.counters();
        PostgresAccountStore accounts = new PostgresAccountStore(dashboard);
        accounts.add(new Account("dashboard-ana", Role.RESPONDER, false, now), "not a real hash");
        new PostgresAuditLog(dashboard).append(new AuditEvent(now, "dashboard-ana", "responder", "customer.history",
                Optional.of("amy"), Optional.empty(), "127.0.0.1", "ok"));
        // an alert for the dashboard to acknowledge, written as ingest writes it
        Reading reading = StoreFixtures.reading("dashboard-bob", now.minusSeconds(5), 230);
        Alert alert = new Alert(Alert.idOf(AlertRule.tachycardia(), reading), CustomerId.of("dashboard-bob"), AlertRule.tachycardia(),
                AnomalyLevel.CRITICAL_HIGH, AlertState.FIRING, reading, reading, reading, reading.recordedAt(), Optional.empty());
        new PostgresReadingStore(ingest).write(new StoreBatch(List.of(reading), List.of(), List.of(new PartitionRange(StoreFixtures.P1, 0, 1)),
                List.of(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()))));
        assertEquals("dashboard-ana", new PostgresAlertStore(dashboard).acknowledge(alert.id(), new Acknowledgement("dashboard-ana", now))
                .orElseThrow().acknowledgement().orElseThrow().by());
        // the dashboard makes and ends silences; the consumers' dispatchers read them and hold what they mute
        Silence silence = new PostgresSilenceStore(dashboard).create(SilenceRequest.snooze(Optional.of(CustomerId.of("dashboard-bob")),
                Optional.empty(), now, java.time.Duration.ofMinutes(15), "on the phone"), "dashboard-ana", now);
        new PostgresSilenceStore(dashboard).end(silence.id(), "dashboard-ana", now.plusSeconds(1));
        assertEquals(1, new PostgresSilenceStore(ingest).current(now).size());
        PostgresAlertStore dispatcher = new PostgresAlertStore(ingest);
        dispatcher.due(Instant.now(), 10).forEach(pending -> dispatcher.hold(pending.id(), silence.id()));
        dispatcher.release(List.of(), Instant.now());
        refused(DatabaseRoles.Role.INGEST, "INSERT INTO silences (customer_id, starts_at, ends_at, reason, created_by, created_at) "
                + "VALUES ('x', now(), now() + interval '1 hour', 'r', 'mallory', now())");
        refused(DatabaseRoles.Role.DASHBOARD, "UPDATE silences SET reason = 'rewritten'");
        refused(DatabaseRoles.Role.DASHBOARD, "DELETE FROM silences");
        refused(DatabaseRoles.Role.REPORTING, "SELECT count(*) FROM silences");

        refused(DatabaseRoles.Role.DASHBOARD, "UPDATE audit_log SET actor = 'mallory'");
        refused(DatabaseRoles.Role.DASHBOARD, "DELETE FROM audit_log");
        refused(DatabaseRoles.Role.DASHBOARD, "TRUNCATE audit_log");
        refused(DatabaseRoles.Role.DASHBOARD, "INSERT INTO heartbeat_records (customer_id, recorded_at, heart_rate) VALUES ('x', now(), 70)");
        refused(DatabaseRoles.Role.DASHBOARD, "UPDATE alerts SET severity = 'low'");
        refused(DatabaseRoles.Role.DASHBOARD, "DELETE FROM alerts");
        refused(DatabaseRoles.Role.DASHBOARD, "DELETE FROM accounts");
        refused(DatabaseRoles.Role.DASHBOARD, "SELECT heartbeat_drop_partitions(current_date + 100)");
        refused(DatabaseRoles.Role.DASHBOARD, "CREATE TABLE mine (x int)");
        refused(DatabaseRoles.Role.DASHBOARD, "COPY (SELECT 1) TO PROGRAM 'true'");
    }

    @Test
    void reportingReadsTheViewsAndSummariesAndNothingElse() throws SQLException {
        for (String readable : List.of("recent_heartbeats", "critical_anomalies", "customer_stats", "heartbeat_minute_totals",
                "heartbeat_days", "customers", "alerts", "stream_positions", "stream_reject_counts", "stream_gaps", "stream_topics",
                "ingest_batches")) {
            allowed(DatabaseRoles.Role.REPORTING, "SELECT count(*) FROM " + readable);
        }
        for (String hidden : List.of("heartbeat_records", "rejected_readings", "accounts", "api_tokens", "audit_log", "audit_head",
                "alert_outbox")) {
            refused(DatabaseRoles.Role.REPORTING, "SELECT count(*) FROM " + hidden);
        }
        refused(DatabaseRoles.Role.REPORTING, "COPY (SELECT 1) TO PROGRAM 'id'");
        refused(DatabaseRoles.Role.REPORTING, "COPY alerts TO '/tmp/heartbeat-alerts.csv'");
        refused(DatabaseRoles.Role.REPORTING, "DELETE FROM alerts");
        refused(DatabaseRoles.Role.REPORTING, "SELECT heartbeat_drop_partitions(current_date + 100)");
        refused(DatabaseRoles.Role.REPORTING, "CREATE TEMPORARY TABLE mine (x int)");
        assertEquals("on", reporting.jdbi().withHandle(h -> h.createQuery("SHOW default_transaction_read_only").mapTo(String.class).one()));
    }

    @Test
    void onlyTheOwnerMayDeleteAuditRecordsAndNobodyChangesThem() throws SQLException {
        new PostgresAuditLog(dashboard).append(new AuditEvent(Instant.now(), "dashboard-cy", "viewer", "customer.history",
                Optional.of("amy"), Optional.empty(), "127.0.0.1", "ok"));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(DATABASE), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE heartbeat_owner");
            statement.execute("DELETE FROM audit_log WHERE at < now() - interval '6 years'");
            SQLException update = assertThrows(SQLException.class, () -> statement.execute("UPDATE audit_log SET actor = 'mallory'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        }
        for (DatabaseRoles.Role service : List.of(DatabaseRoles.Role.INGEST, DatabaseRoles.Role.DASHBOARD, DatabaseRoles.Role.REPORTING)) {
            refused(service, "DELETE FROM audit_log");
            refused(service, "UPDATE audit_log SET actor = 'mallory'");
        }
        // the audit trail's retention, through the owner's function, for the role that writes the trail
        allowed(DatabaseRoles.Role.DASHBOARD, "SELECT heartbeat_trim_audit(interval '2192 days')");
        refused(DatabaseRoles.Role.INGEST, "SELECT heartbeat_trim_audit(interval '2192 days')");
        refused(DatabaseRoles.Role.REPORTING, "SELECT heartbeat_trim_audit(interval '2192 days')");
    }

    @Test
    void aServiceRoleOnAnOlderSchemaIsToldWhatToRun() throws SQLException {
        String older = "roles_older";
        TestDatabases.admin(server, "DROP DATABASE IF EXISTS " + older + " WITH (FORCE)");
        TestDatabases.admin(server, "CREATE DATABASE " + older + " OWNER heartbeat_owner");
        Flyway.configure().dataSource(server.jdbcUrl(older), server.user(), server.password())
                .locations("classpath:db/migration").target("8").initSql("SET ROLE heartbeat_owner").load().migrate();
        try (PostgresDatabase consumer = PostgresDatabase.connect(PostgresSettings.of(server.jdbcUrl(older),
                DatabaseRoles.Role.INGEST.roleName(), PASSWORDS.get(DatabaseRoles.Role.INGEST)).withPoolSize(2))) {
            HeartbeatException e = assertThrows(HeartbeatException.class, consumer::ensureSchema);
            assertTrue(e.getMessage().startsWith("the database schema is at version 8 and this build needs version "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("heartbeat_ingest may not migrate: run heartbeat setup-database"), e.getMessage());
        }
    }
}
