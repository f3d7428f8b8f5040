package dev.heartbeat.postgres;

import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults: a connection killed in the middle of a batch's transaction, a statement timing out, a server
 * that is not there, a server shut down under the store. Each leaves nothing of the batch, surfaces as
 * {@link StoreUnavailableException}, and the same batch written again afterwards is stored exactly once.
 */
class PostgresStoreFailureTest {

    private static PostgresDatabase database;
    private PostgresReadingStore store;
    private PostgresReadingQueries queries;
    private Instant base;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("faults", settings -> settings.withStatementTimeout(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void empty() {
        TestDatabases.truncate(database);
        store = new PostgresReadingStore(database);
        queries = new PostgresReadingQueries(database);
        base = StoreFixtures.baseTime();
    }

    private StoreBatch batch() {
        return new StoreBatch(series("kim", base, 50, 70),
                List.of(StoreFixtures.reject(P0, 50, RejectReason.MALFORMED_JSON, "{no")),
                List.of(new PartitionRange(P0, 0, 51)));
    }

    @Test
    void aConnectionKilledMidTransactionLeavesNothingAndTheRetryStoresTheBatchOnce() throws Exception {
        StoreBatch batch = batch();
        try (Connection blocker = adminConnection(); Connection killer = adminConnection()) {
            // hold the batch's last table, so the store's transaction stops there, its readings already copied
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE ingest_batches IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<WriteOutcome> write = CompletableFuture.supplyAsync(() -> store.write(batch));
            int pid = awaitBlockedStoreBackend(killer);
            assertTrue(holdsWriteLockOnReadings(killer, pid), "the readings are copied, uncommitted, when the connection dies");
            try (Statement statement = killer.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            blocker.rollback();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> write.get(30, TimeUnit.SECONDS));
            StoreUnavailableException unavailable = assertInstanceOf(StoreUnavailableException.class, failure.getCause());
            assertTrue(unavailable.getMessage().contains("writing a batch of 51 messages"), unavailable.getMessage());
        }
        assertNothingStored();

        assertEquals(new WriteOutcome.Committed(50, 0, 1), store.write(batch));
        assertStoredOnce();
        assertInstanceOf(WriteOutcome.Stale.class, store.write(batch), "and never twice");
    }

    @Test
    void aStatementThatTimesOutIsUnavailableAndLeavesNothing() throws Exception {
        StoreBatch batch = batch();
        try (PostgresDatabase impatient = PostgresDatabase.connect(TestDatabases.settings(TestDatabases.server(), "faults")
                .withStatementTimeout(Duration.ofMillis(300)));
             Connection blocker = adminConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE ingest_batches IN ACCESS EXCLUSIVE MODE");
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> new PostgresReadingStore(impatient).write(batch));
            assertTrue(e.getMessage().contains("57014"), e.getMessage());
            blocker.rollback();
        }
        assertNothingStored();
        assertEquals(new WriteOutcome.Committed(50, 0, 1), store.write(batch));
        assertStoredOnce();
    }

    @Test
    void connectingToAServerThatIsNotThereFailsClearlyWithinTheWait() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresSettings nowhere = PostgresSettings.of("jdbc:postgresql://127.0.0.1:" + port + "/heartbeat", "postgres", "secret")
                .withServerWait(Duration.ofSeconds(1));
        long start = System.nanoTime();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> PostgresDatabase.connect(nowhere));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("did not answer within PT1S"), e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "bounded: " + took);
    }

    @Test
    void aServerShutDownUnderTheStoreIsUnavailableAndTheBatchIsStoredOnceItIsBack(@TempDir Path data) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestServer server = TestDatabases.startEmbedded(data, port);
        try {
            TestDatabases.admin(server, "CREATE DATABASE heartbeat");
            try (PostgresDatabase db = PostgresDatabase.connect(TestDatabases.settings(server, "heartbeat")
                    .withStatementTimeout(Duration.ofSeconds(2)))) {
                db.migrate();
                PostgresReadingStore own = new PostgresReadingStore(db);
                PostgresReadingQueries ownQueries = new PostgresReadingQueries(db);
                assertEquals(new WriteOutcome.Committed(10, 0, 0), own.write(StoreFixtures.batch(P0, 0, series("lou", base, 10, 70))));
                server.stop();
                StoreBatch next = StoreFixtures.batch(P0, 10, series("lou", base.plusSeconds(10), 10, 70));
                assertThrows(StoreUnavailableException.class, () -> own.write(next));
                assertThrows(StoreUnavailableException.class, ownQueries::counters);
                server = TestDatabases.startEmbedded(data, port);
                // pooled connections from before the restart fail once each, as unavailable; the ingest loop
                // retries the same batch, and so do we
                assertEquals(new WriteOutcome.Committed(10, 0, 0), writeRetrying(own, next));
                PipelineCounters counters = ownQueries.counters();
                assertEquals(20, counters.stored());
                assertEquals(Map.of(P0, 20L), counters.positions());
            }
        } finally {
            server.stop();
        }
    }

    private static WriteOutcome writeRetrying(PostgresReadingStore store, StoreBatch batch) {
        StoreUnavailableException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                return store.write(batch);
            } catch (StoreUnavailableException e) {
                last = e;
            }
        }
        throw new AssertionError("still unavailable after 10 attempts", last);
    }

    private Connection adminConnection() throws SQLException {
        TestServer server = TestDatabases.server();
        return DriverManager.getConnection(server.jdbcUrl("faults"), server.user(), server.password());
    }

    /** The store's backend once it waits for a lock: deterministic, no sleeping on a guess. */
    private static int awaitBlockedStoreBackend(Connection connection) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("""
                         SELECT pid FROM pg_stat_activity
                         WHERE application_name = 'heartbeat' AND datname = current_database() AND wait_event_type = 'Lock'""")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the store's transaction never reached the lock");
    }

    /** Whether the backend has written into a day's partition of heartbeat_records in its open transaction. */
    private static boolean holdsWriteLockOnReadings(Connection connection, int pid) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     WHERE l.pid = %d AND c.relname LIKE 'heartbeat_records_p%%' AND l.mode = 'RowExclusiveLock'""".formatted(pid))) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private void assertNothingStored() {
        PipelineCounters counters = queries.counters();
        assertEquals(0, counters.messages());
        assertEquals(Map.of(), counters.positions());
        assertEquals(Map.of(), store.positions(List.of(P0)));
        long rows = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT (SELECT count(*) FROM heartbeat_records) + (SELECT count(*) FROM rejected_readings) + (SELECT count(*) FROM ingest_batches)")
                .mapTo(Long.class).one());
        assertEquals(0, rows, "no reading, reject or batch line of the failed batch");
    }

    private void assertStoredOnce() {
        PipelineCounters counters = queries.counters();
        assertEquals(51, counters.messages());
        assertEquals(50, counters.stored());
        assertEquals(1, counters.rejected());
        assertEquals(Map.of(P0, 51L), counters.positions());
        long readings = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heartbeat_records").mapTo(Long.class).one());
        assertEquals(50, readings);
    }
}
