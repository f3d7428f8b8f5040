package dev.heartbeat.postgres;

import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's two windows on PostgreSQL: a scratch database for the ingest ceiling, and what ingest recorded. */
class BenchmarkDatabasesTest {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("bench_windows");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void aScratchDatabaseTakesACopyOfReadingsIntoTheSchemaAndIsGoneWhenClosed() {
        TestDatabases.truncate(database);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Reading> readings = StoreFixtures.series("ceiling-1", now.minusSeconds(600), 500, 72);
        PostgresSettings server = database.settings();
        try (ScratchDatabase scratch = ScratchDatabase.create(server, "bench_scratch")) {
            assertEquals(0, scratch.readings());
            assertTrue(scratch.copy(readings) > 0, "the COPY's duration");
            assertEquals(500, scratch.readings());
            scratch.copy(StoreFixtures.series("ceiling-2", now.minusSeconds(600), 250, 72));
            assertEquals(750, scratch.readings(), "the table grows copy by copy");
        }
        assertEquals(0L, count("SELECT count(*) FROM pg_database WHERE datname = 'bench_scratch'"), "dropped on close");
        assertEquals(0L, count("SELECT count(*) FROM heartbeat_records"), "nothing copied into the database it stands beside");
    }

    private static long count(String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aScratchDatabaseNameIsAPlainIdentifier() {
        assertThrows(IllegalArgumentException.class, () -> ScratchDatabase.create(database.settings(), "x; DROP DATABASE postgres"));
        assertThrows(IllegalArgumentException.class, () -> ScratchDatabase.create(database.settings(), "Upper"));
    }

    @Test
    void measurementsCountTheMessagesTakenCareOfAndStreamEveryLatencyFromAnInstantOn() {
        TestDatabases.truncate(database);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PostgresReadingStore store = new PostgresReadingStore(database);
        try (IngestMeasurements measurements = IngestMeasurements.open(database.settings())) {
            assertEquals(0, measurements.messages());
            store.write(StoreFixtures.batch(P0, 0, StoreFixtures.series("early", now.minusSeconds(120), 5, 70)));
            store.write(StoreFixtures.batch(P0, 5, StoreFixtures.series("late", now.minusSeconds(30), 7, 70)));
            assertEquals(12, measurements.messages());

            List<Long> readings = new ArrayList<>();
            measurements.readingLatencies(now.minusSeconds(60), readings::add);
            assertEquals(7, readings.size(), "only the readings recorded from the instant on");
            // each was stored about 30 s after its timestamp (recorded_at 30 s .. 24 s ago)
            assertTrue(readings.stream().allMatch(micros -> micros >= 20_000_000L && micros < 600_000_000L), readings.toString());

            List<Long> batches = new ArrayList<>();
            measurements.batchLatencies(now.minusSeconds(60), batches::add);
            assertEquals(1, batches.size(), "one batch with its oldest reading after the instant");
            assertTrue(batches.getFirst() >= 25_000_000L, batches.toString());

            assertEquals(12, measurements.messages(), "the connection still polls after streaming");
        }
    }
}
