package dev.heartbeat.postgres;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema itself: what the migration creates, what its constraints refuse, what the original views answer. */
class PostgresSchemaTest {

    private static PostgresDatabase database;
    private PostgresReadingStore store;
    private Instant t0;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("schema");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void empty() {
        TestDatabases.truncate(database);
        store = new PostgresReadingStore(database);
        t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    }

    @Test
    void migratesAnEmptyDatabaseAndAgainIsANoOp() {
        TestServer server = TestDatabases.server();
        TestDatabases.admin(server, "DROP DATABASE IF EXISTS schema_empty WITH (FORCE)");
        TestDatabases.admin(server, "CREATE DATABASE schema_empty");
        try (PostgresDatabase empty = PostgresDatabase.connect(TestDatabases.settings(server, "schema_empty"))) {
            String version = empty.migrate();
            assertTrue(version.matches("\\d+"), version);
            assertEquals(version, empty.migrate(), "a second run changes nothing");
            List<String> relations = empty.jdbi().withHandle(h -> h.createQuery("""
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v') AND c.relname !~ '_p[0-9]{8}$'
                    ORDER BY 1""").mapTo(String.class).list());
            assertTrue(relations.containsAll(List.of("critical_anomalies", "customer_stats", "customers", "flyway_schema_history",
                    "heartbeat_days", "heartbeat_minute_rollups", "heartbeat_minute_totals", "heartbeat_minutes",
                    "heartbeat_records", "heartbeat_unsummarized", "ingest_batches", "recent_heartbeats",
                    "rejected_readings", "stream_positions", "stream_reject_counts", "summary_state")), relations.toString());
            List<String> indexes = empty.jdbi().withHandle(h -> h.createQuery("""
                    SELECT indexname || ': ' || regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes
                    WHERE tablename = 'heartbeat_records' ORDER BY 1""").mapTo(String.class).list());
            assertEquals(List.of(
                    "heartbeat_records_critical_idx: btree (recorded_at DESC, customer_id DESC) WHERE ((anomaly_level)::text = ANY ((ARRAY['critical_low'::character varying, 'critical_high'::character varying])::text[]))",
                    "heartbeat_records_ingest_txid_brin: brin (ingest_txid) WITH (pages_per_range='32', autosummarize='on')",
                    "heartbeat_records_pkey: btree (customer_id, recorded_at)",
                    "heartbeat_records_recorded_at_brin: brin (recorded_at) WITH (pages_per_range='32', autosummarize='on')"),
                    indexes, "the natural key, BRIN on time, the critical partial index, and nothing redundant");
            List<String> noJit = empty.jdbi().withHandle(h -> h.createQuery("""
                    SELECT proname FROM pg_proc WHERE 'jit=off' = ANY (proconfig) ORDER BY 1""").mapTo(String.class).list());
            assertEquals(List.of("heartbeat_rebuild_summaries", "heartbeat_summarize"), noJit,
                    "the summaries run without JIT, whoever calls them");
        }
    }

    @Test
    void theAppsConnectionsRunWithoutJitOrParallelWorkersAndWithAStatementTimeout() {
        List<String> settings = database.jdbi().withHandle(h -> h.createQuery("""
                SELECT current_setting('jit') || ' ' || current_setting('max_parallel_workers_per_gather') || ' '
                       || (SELECT setting FROM pg_settings WHERE name = 'statement_timeout')""").mapTo(String.class).list());
        assertEquals(List.of("off 0 " + database.settings().statementTimeout().toMillis()), settings);
    }

    @Test
    void theCheckConstraintsRejectBadRows() {
        database.jdbi().useHandle(h -> h.execute("SELECT heartbeat_create_partitions(current_date, current_date)"));
        assertViolates("chk_heart_rate_range", "'a', now(), 29, 'critical_low', 'rest'");
        assertViolates("chk_heart_rate_range", "'a', now(), 251, 'critical_high', 'rest'");
        assertViolates("chk_anomaly_level", "'a', now(), 80, 'fine', 'rest'");
        assertViolates("chk_activity", "'a', now(), 80, 'normal', 'sleeping'");
        database.jdbi().useHandle(h -> h.execute("""
                INSERT INTO heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity)
                VALUES ('a', now(), 30, 'critical_low', 'rest'), ('b', now(), 250, 'critical_high', 'anomaly')"""));
    }

    private void assertViolates(String constraint, String values) {
        HeartbeatException e = assertThrows(HeartbeatException.class, () -> {
            try {
                database.jdbi().useHandle(h -> h.execute(
                        "INSERT INTO heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity) VALUES ("
                                + values + ")"));
            } catch (RuntimeException failure) {
                throw SqlFailures.translate("inserting a bad row", failure);
            }
        });
        assertTrue(e.getMessage().contains(constraint) && e.getMessage().contains("23514"), e.getMessage());
    }

    @Test
    void aRowForADayWithoutPartitionFailsInsteadOfLandingSomewhere() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> database.jdbi().useHandle(h -> h.execute("""
                INSERT INTO heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity)
                VALUES ('a', '2001-01-01 00:00:00+00', 80, 'normal', 'rest')""")));
        assertTrue(SqlFailures.isMissingPartition(e), e.getMessage());
    }

    @Test
    void descriptionsSeveritiesAndDistancesInSqlAgreeWithCore() {
        List<Reading> everyRate = IntStream.rangeClosed(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE)
                .mapToObj(bpm -> new Reading(CustomerId.of("c"), t0.plusSeconds(bpm), bpm, Activity.NORMAL)).toList();
        store.write(batch(P0, 0, everyRate));
        List<String> mismatches = database.jdbi().withHandle(h -> h.createQuery("SELECT heart_rate, anomaly_level, anomaly_description, "
                        + PostgresReadingQueries.SEVERITY + " AS severity, " + PostgresReadingQueries.DISTANCE
                        + " AS distance FROM heartbeat_records ORDER BY heart_rate")
                .map((rs, ctx) -> {
                    int bpm = rs.getInt("heart_rate");
                    AnomalyLevel level = AnomalyLevel.classify(bpm);
                    boolean same = level.wireName().equals(rs.getString("anomaly_level"))
                            && level.description().equals(rs.getString("anomaly_description"))
                            && level.severity() == rs.getInt("severity")
                            && AnomalyLevel.distanceFromNormal(bpm) == rs.getInt("distance");
                    return same ? "" : bpm + " bpm: " + rs.getString("anomaly_description") + "/" + rs.getInt("severity");
                })
                .list().stream().filter(s -> !s.isEmpty()).toList());
        assertEquals(List.of(), mismatches);
        assertEquals(221, everyRate.size());
        assertEquals(LatestOrder.values().length, 5, "every order has its SQL");
    }

    @Test
    void aDatabaseAtVersion5KeepsItsReadingsThroughTheMigrationsAndRanksThemBySeverityAfterwards() {
        TestServer server = TestDatabases.server();
        TestDatabases.admin(server, "DROP DATABASE IF EXISTS schema_v5 WITH (FORCE)");
        TestDatabases.admin(server, "CREATE DATABASE schema_v5");
        try (PostgresDatabase existing = PostgresDatabase.connect(TestDatabases.settings(server, "schema_v5"))) {
            Flyway.configure().dataSource(existing.dataSource()).locations("classpath:db/migration").target("5").load().migrate();
            List<Reading> everyRate = IntStream.rangeClosed(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE)
                    .mapToObj(bpm -> new Reading(CustomerId.of("c"), t0.plusSeconds(bpm), bpm, Activity.NORMAL)).toList();
            new PostgresReadingStore(existing).write(batch(P0, 0, everyRate));

            String version = existing.migrate();
            assertTrue(Integer.parseInt(version) > 5, version);
            List<String> mismatches = existing.jdbi().withHandle(h -> h.createQuery(
                            "SELECT heart_rate, " + PostgresReadingQueries.SEVERITY + " AS severity FROM heartbeat_records")
                    .map((rs, ctx) -> AnomalyLevel.classify(rs.getInt("heart_rate")).severity() == rs.getInt("severity")
                            ? "" : rs.getInt("heart_rate") + " bpm: " + rs.getInt("severity"))
                    .list().stream().filter(m -> !m.isEmpty()).toList());
            assertEquals(List.of(), mismatches);
            long kept = existing.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heartbeat_records").mapTo(Long.class).one());
            assertEquals(everyRate.size(), kept, "the readings stored before the migration are all there");
        }
    }

    @Test
    void theOriginalViewsAnswerWhatTheyMeantWhetherSummarizedOrNot() {
        // a: 60, 35 (critical), 80 -- b: 210 (critical), 45
        PostgresSummarizer summarizer = new PostgresSummarizer(database);
        store.write(batch(P0, 0, List.of(reading("a", 0, 60), reading("a", 1, 35), reading("a", 2, 80))));
        assertEquals(3, summarizer.summarize());
        store.write(batch(P0, 3, List.of(reading("b", 0, 210), reading("b", 3, 45))));
        assertViews("a summarized, b not");
        assertEquals(2, summarizer.summarize());
        assertEquals(0, summarizer.summarize());
        assertViews("all summarized");
        database.jdbi().useHandle(h -> {
            h.execute("TRUNCATE customers, heartbeat_minutes, heartbeat_days, heartbeat_minute_totals");
            h.execute("UPDATE summary_state SET snapshot = '1:1:'");
        });
        assertViews("summaries thrown away");
        long rebuilt = database.jdbi().withHandle(h -> h.createQuery("SELECT heartbeat_rebuild_summaries()").mapTo(Long.class).one());
        assertEquals(5, rebuilt);
        assertViews("rebuilt");
        assertEquals(0, summarizer.summarize(), "a rebuild leaves nothing to summarize twice");
    }

    @Test
    void aSummaryKeepsEachCustomersFirstAndLatestReadingWhateverOrderTheyArriveIn() {
        PostgresSummarizer summarizer = new PostgresSummarizer(database);
        // out of order within a batch, across minutes; a second customer alongside
        store.write(batch(P0, 0, List.of(reading("a", 5, 70), reading("a", 1, 61), reading("a", 3, 90), reading("b", 2, 50))));
        assertEquals(4, summarizer.summarize());
        assertEquals(List.of("a 1 5 70 normal", "b 2 2 50 low"), customers());
        // a late reading older than everything: first seen moves back, the latest stays
        store.write(batch(P0, 4, List.of(reading("a", 0, 120))));
        assertEquals(1, summarizer.summarize());
        assertEquals(List.of("a 0 5 70 normal", "b 2 2 50 low"), customers());
        // a newer one, in the same minute as a summarized one: the latest moves, the minute adds up
        store.write(batch(P0, 5, List.of(new Reading(CustomerId.of("a"), t0.plus(5, ChronoUnit.MINUTES).plusSeconds(30), 205,
                Activity.ANOMALY))));
        assertEquals(1, summarizer.summarize());
        assertEquals(List.of("a 0 5 205 critical_high", "b 2 2 50 low"), customers());
        assertEquals(List.of(2L, 275L, 70L, 205L), database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT readings::bigint AS v FROM heartbeat_minutes WHERE customer_id = 'a' AND minute = :m
                        UNION ALL SELECT heart_rate_sum FROM heartbeat_minutes WHERE customer_id = 'a' AND minute = :m
                        UNION ALL SELECT heart_rate_min FROM heartbeat_minutes WHERE customer_id = 'a' AND minute = :m
                        UNION ALL SELECT heart_rate_max FROM heartbeat_minutes WHERE customer_id = 'a' AND minute = :m""")
                .bind("m", t0.plus(5, ChronoUnit.MINUTES)).mapTo(Long.class).list()));
    }

    /** customer, minutes after t0 of the first and the latest reading, the latest's rate and level */
    private List<String> customers() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM customers ORDER BY customer_id")
                .map((rs, ctx) -> rs.getString("customer_id") + " "
                        + ChronoUnit.MINUTES.between(t0, rs.getObject("first_seen_at", OffsetDateTime.class).toInstant()) + " "
                        + ChronoUnit.MINUTES.between(t0, rs.getObject("latest_recorded_at", OffsetDateTime.class).toInstant()) + " "
                        + rs.getInt("latest_heart_rate") + " " + rs.getString("latest_anomaly_level"))
                .list());
    }

    private Reading reading(String customer, int minutes, int bpm) {
        return new Reading(CustomerId.of(customer), t0.plus(minutes, ChronoUnit.MINUTES), bpm, Activity.EXERCISE);
    }

    private void assertViews(String state) {
        database.jdbi().useHandle(h -> {
            assertEquals(List.of(
                            "a " + t0.plus(2, ChronoUnit.MINUTES) + " 80 normal Normal exercise",
                            "b " + t0.plus(3, ChronoUnit.MINUTES) + " 45 low Bradycardia exercise"),
                    h.createQuery("SELECT * FROM recent_heartbeats ORDER BY customer_id")
                            .map((rs, ctx) -> rs.getString("customer_id") + " " + instant(rs.getObject("recorded_at", OffsetDateTime.class))
                                    + " " + rs.getInt("heart_rate") + " " + rs.getString("anomaly_level") + " "
                                    + rs.getString("anomaly_description") + " " + rs.getString("activity"))
                            .list(), state);
            assertEquals(List.of(
                            "a " + t0.plus(1, ChronoUnit.MINUTES) + " 35 Severe Bradycardia",
                            "b " + t0 + " 210 Severe Tachycardia"),
                    h.createQuery("SELECT * FROM critical_anomalies")
                            .map((rs, ctx) -> rs.getString("customer_id") + " " + instant(rs.getObject("recorded_at", OffsetDateTime.class))
                                    + " " + rs.getInt("heart_rate") + " " + rs.getString("anomaly_description"))
                            .list(), state);
            Map<String, Object> a = stats(h, "a");
            assertEquals(3L, a.get("total_readings"), state);
            assertEquals(0, new BigDecimal("58.3333").compareTo(((BigDecimal) a.get("avg_heart_rate")).setScale(4, java.math.RoundingMode.HALF_UP)), state);
            assertEquals(35, a.get("min_heart_rate"), state);
            assertEquals(80, a.get("max_heart_rate"), state);
            assertEquals(sampleStddev(60, 35, 80), ((BigDecimal) a.get("stddev_heart_rate")).doubleValue(), 1e-9, state);
            assertEquals(1L, a.get("critical_count"), state);
            assertEquals(t0.plus(2, ChronoUnit.MINUTES), ((java.sql.Timestamp) a.get("last_reading")).toInstant(), state);
            Map<String, Object> b = stats(h, "b");
            assertEquals(2L, b.get("total_readings"), state);
            assertEquals(0, new BigDecimal("127.5").compareTo((BigDecimal) b.get("avg_heart_rate")), state);
            assertEquals(sampleStddev(210, 45), ((BigDecimal) b.get("stddev_heart_rate")).doubleValue(), 1e-9, state);
            assertEquals(1L, b.get("critical_count"), state);
            Map<String, Object> direct = h.createQuery("""
                    SELECT count(*) AS n, avg(heart_rate) AS avg, stddev(heart_rate) AS sd FROM heartbeat_records WHERE customer_id = 'a'""")
                    .mapToMap().one();
            assertEquals(((BigDecimal) direct.get("sd")).doubleValue(), ((BigDecimal) a.get("stddev_heart_rate")).doubleValue(), 1e-9,
                    "the same as SQL's stddev over the readings");
        });
    }

    private static Map<String, Object> stats(Handle h, String customer) {
        return h.createQuery("SELECT * FROM customer_stats WHERE customer_id = :c").bind("c", customer).mapToMap().one();
    }

    private static Instant instant(OffsetDateTime value) {
        return value.toInstant();
    }

    private static double sampleStddev(int... values) {
        double mean = IntStream.of(values).average().orElseThrow();
        double squares = IntStream.of(values).mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }

    @Test
    void customerStatsOfACustomerWithOneReadingHasNoDeviation() {
        store.write(batch(P0, 0, List.of(reading("solo", 0, 70))));
        Map<String, Object> solo = database.jdbi().withHandle(h -> stats(h, "solo"));
        assertEquals(1L, solo.get("total_readings"));
        assertNull(solo.get("stddev_heart_rate"), "like SQL's stddev of one value");
    }

    @Test
    void refusesToRunAgainstASchemaFromANewerBuild() {
        TestServer server = TestDatabases.server();
        TestDatabases.admin(server, "DROP DATABASE IF EXISTS schema_future WITH (FORCE)");
        TestDatabases.admin(server, "CREATE DATABASE schema_future");
        try (PostgresDatabase future = PostgresDatabase.connect(TestDatabases.settings(server, "schema_future"))) {
            future.migrate();
            future.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                       installed_by, installed_on, execution_time, success)
                    VALUES (999, '999', 'from a newer build', 'SQL', 'V999__from_a_newer_build.sql', 0, 'test', now(), 1, true)"""));
            HeartbeatException e = assertThrows(HeartbeatException.class, future::migrate);
            assertTrue(e.getMessage().contains("version 999") && e.getMessage().contains("newer than this build"), e.getMessage());
        }
    }

    @Test
    void theBatchWriteTouchesOnlyTheTablesItMust() {
        StoreBatch readingsOnly = batch(P0, 0, List.of(reading("a", 0, 80)));
        store.write(readingsOnly);
        Map<String, Long> counts = database.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'customers' AS t, count(*) AS n FROM customers UNION ALL SELECT 'minutes', count(*) FROM heartbeat_minutes
                UNION ALL SELECT 'readings', count(*) FROM heartbeat_records UNION ALL SELECT 'batches', count(*) FROM ingest_batches""")
                .map((rs, ctx) -> Map.entry(rs.getString("t"), rs.getLong("n"))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(Map.of("customers", 0L, "minutes", 0L, "readings", 1L, "batches", 1L), counts,
                "summaries wait for the summarizer; the queries add what it has not seen yet");
        assertEquals(Set.of(), Set.of());
    }
}
