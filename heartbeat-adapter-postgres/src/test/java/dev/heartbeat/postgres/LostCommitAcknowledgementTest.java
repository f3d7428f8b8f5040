package dev.heartbeat.postgres;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.heartbeat.core.port.StoreFixtures.baseTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's connection dropped right after PostgreSQL has committed a batch, before the client hears
 * so, 100 times at random (a {@link CommitDroppingProxy} between the store and the server), while the
 * real ingest loop drains a stream of 30,000 readings: the loop retries each batch it could not confirm,
 * finds it already stored (its positions say so), and goes on from there. Every reading is stored
 * exactly once, nothing counted twice, and the positions end at the end of the stream.
 */
class LostCommitAcknowledgementTest {

    static final int DROPS = 100;
    static final int CUSTOMERS = 100;
    static final int TICKS = 300;

    @Test
    void everyReadingIsStoredExactlyOnceWhenAHundredCommitAcknowledgementsAreLost() throws Exception {
        TestServer server = TestDatabases.server();
        InMemoryBus bus = new InMemoryBus("heartbeat-data", 3);
        Set<Reading> published = publish(bus);

        try (PostgresDatabase direct = TestDatabases.open("lost_commits");
             CommitDroppingProxy proxy = CommitDroppingProxy.start(server.host(), server.port(), 8_675_309, 0.3, DROPS);
             PostgresDatabase viaProxy = PostgresDatabase.connect(PostgresSettings.of(proxy.jdbcUrl("lost_commits"),
                     server.user(), server.password()).withPoolSize(2).withServerWait(Duration.ofSeconds(10)))) {
            Clock clock = Clock.systemUTC();
            Ingest ingest = new Ingest(new ReadingValidator(ValidationPolicy.defaults(), clock),
                    new PostgresReadingStore(viaProxy), clock);
            InMemoryReadingSource source = new InMemoryReadingSource(bus, 50);
            IngestLoop loop = new IngestLoop(source, ingest, IngestObserver.NONE,
                    new Backoff(Duration.ofMillis(1), Duration.ofMillis(20)), Duration.ofMillis(10));
            source.start(ingest.store());
            proxy.arm();

            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!atLogEnd(direct, bus) && System.nanoTime() < deadline) {
                loop.runOnce();
            }
            source.close();

            assertEquals(DROPS, proxy.drops(), "acknowledgements lost (of " + proxy.commits() + " commits)");
            assertTrue(atLogEnd(direct, bus), () -> "positions at the end of the stream: " + positions(direct));
            Map<String, Long> totals = direct.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT sum(messages) AS messages, sum(stored) AS stored, sum(duplicates) AS duplicates,"
                                    + " sum(rejected) AS rejected FROM stream_positions")
                    .map((rs, ctx) -> Map.of("messages", rs.getLong(1), "stored", rs.getLong(2),
                            "duplicates", rs.getLong(3), "rejected", rs.getLong(4))).one());
            assertEquals(Map.of("messages", (long) published.size(), "stored", (long) published.size(),
                    "duplicates", 0L, "rejected", 0L), totals, "each message counted once");
            Set<Reading> stored = new HashSet<>(direct.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records")
                    .map((rs, ctx) -> new Reading(dev.heartbeat.core.reading.CustomerId.of(rs.getString(1)),
                            rs.getTimestamp(2).toInstant(), rs.getInt(3),
                            dev.heartbeat.core.reading.Activity.fromWireName(rs.getString(4)).orElseThrow()))
                    .list()));
            assertEquals(published.size(), direct.jdbi().withHandle(handle ->
                    handle.createQuery("SELECT count(*) FROM heartbeat_records").mapTo(Long.class).one()).intValue(),
                    "no reading twice");
            assertEquals(published, stored, "exactly the published readings");
        }
    }

    private static Set<Reading> publish(InMemoryBus bus) {
        Simulator simulator = new Simulator(SimulationSettings.of(CUSTOMERS, baseTime()), new SplittableRandom(3));
        InMemoryReadingPublisher publisher = new InMemoryReadingPublisher(bus);
        Set<Reading> published = new HashSet<>();
        for (int tick = 0; tick < TICKS; tick++) {
            for (SimulatedReading simulated : simulator.nextTick()) {
                publisher.publish(simulated.reading()).join();
                published.add(simulated.reading());
            }
        }
        return published;
    }

    private static Map<Integer, Long> positions(PostgresDatabase database) {
        Map<Integer, Long> positions = new HashMap<>();
        database.jdbi().useHandle(handle -> handle.createQuery("SELECT partition, next_offset FROM stream_positions")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .forEach(entry -> positions.put(entry.getKey(), entry.getValue())));
        return positions;
    }

    private static boolean atLogEnd(PostgresDatabase database, InMemoryBus bus) {
        Map<Integer, Long> positions = positions(database);
        for (int partition = 0; partition < bus.partitions().size(); partition++) {
            if (!Long.valueOf(bus.endOffset(partition)).equals(positions.get(partition))) {
                return false;
            }
        }
        return true;
    }
}
