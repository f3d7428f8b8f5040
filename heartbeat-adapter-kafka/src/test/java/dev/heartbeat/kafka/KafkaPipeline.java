package dev.heartbeat.kafka;

import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.memory.StoreFaults;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test's pipeline against a real cluster: its own topic and group (so tests sharing a cluster do
 * not see each other), core's in-memory store and ingest use case, and the checks every scenario ends with.
 */
final class KafkaPipeline {

    final KafkaSettings settings;
    final InMemoryDatabase database;
    /** The database's store behind a switch that takes it down. */
    final StoreFaults faults;
    final ReadingStore store;
    final Ingest ingest;

    KafkaPipeline(KafkaSettings settings) {
        this(settings, new InMemoryDatabase(SimulatedReadings.CLOCK), new StoreFaults());
    }

    private KafkaPipeline(KafkaSettings settings, InMemoryDatabase database, StoreFaults faults) {
        this.settings = settings;
        this.database = database;
        this.faults = faults;
        this.store = faults.store(database.store());
        this.ingest = new Ingest(SimulatedReadings.validator(), store, SimulatedReadings.CLOCK);
    }

    /** A pipeline on topic {@code t-name} with {@code partitions} partitions, created and ready. */
    static KafkaPipeline create(KafkaTestCluster cluster, String name, int partitions, short replicationFactor,
                                int minInsyncReplicas) {
        KafkaSettings settings = KafkaSettings.defaults(cluster.bootstrapServers())
                .withTopic("t-" + name, partitions)
                .withReplication(replicationFactor, minInsyncReplicas)
                .withGroup("g-" + name, name)
                .withMaxPollRecords(500)
                // rebalances take a few heartbeats: faster heartbeats keep the tests short
                .withClientProperties(Map.of("heartbeat.interval.ms", "500"));
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            assertTrue(admin.ensureTopic(), "the topic of " + name + " should be new");
        }
        return new KafkaPipeline(settings);
    }

    /** The same pipeline (topic, group, store) with another batch size. */
    KafkaPipeline withMaxPollRecords(int maxPollRecords) {
        return new KafkaPipeline(settings.withMaxPollRecords(maxPollRecords), database, faults);
    }

    /** The same pipeline (topic, group, store) with other client properties. */
    KafkaPipeline withClientProperties(Map<String, String> properties) {
        return new KafkaPipeline(settings.withClientProperties(properties), database, faults);
    }

    KafkaReadingSource source(String clientId) {
        return new KafkaReadingSource(settings.withGroup(settings.groupId(), clientId), RunningLoop.FAST_BACKOFF);
    }

    List<StreamPartition> partitions() {
        return IntStream.range(0, settings.partitions()).mapToObj(p -> new StreamPartition(settings.topic(), p)).toList();
    }

    Map<StreamPartition, Long> storedPositions() {
        return store.positions(partitions());
    }

    long messagesStored() {
        return database.queries().counters().messages();
    }

    /** Publishes every reading with the adapter's publisher and checks each one was acknowledged. */
    void publish(List<Reading> readings) {
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings)) {
            publish(publisher, readings);
        }
    }

    static void publish(KafkaReadingPublisher publisher, List<Reading> readings) {
        List<CompletableFuture<Void>> sent = new ArrayList<>(readings.size());
        for (Reading reading : readings) {
            sent.add(publisher.publish(reading));
        }
        publisher.flush();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("a publish failed: " + e, e);
        }
        assertEquals(0, publisher.failures(), () -> "publish failures: " + publisher.failuresByCause());
    }

    void awaitStored(long messages, Duration timeout) {
        Await.until(timeout, () -> messagesStored() >= messages,
                () -> messages + " messages in the store, got " + messagesStored());
    }

    /** Every published reading stored once (by customer and timestamp, with its values), and nothing else. */
    void assertExactlyOnce(List<Reading> published) {
        assertExactlyOnce(published, 0);
    }

    /** As {@link #assertExactlyOnce(List)}, with {@code rejects} bad messages among the published ones. */
    void assertExactlyOnce(List<Reading> published, long rejects) {
        List<Reading> stored = database.allReadings();
        PipelineCounters counters = database.queries().counters();
        assertEquals(published.size(), new HashSet<>(published).size(), "the test published a reading twice");
        assertEquals(0, counters.duplicates(), "readings consumed twice");
        assertEquals(rejects, counters.rejected(), "rejects");
        assertEquals(published.size() + rejects, counters.messages(), "messages consumed (published " + published.size()
                + " readings and " + rejects + " bad messages)");
        assertEquals(published.size(), stored.size(), "readings stored");
        HashSet<Reading> missing = new HashSet<>(published);
        stored.forEach(missing::remove);
        assertTrue(missing.isEmpty(), () -> missing.size() + " readings lost, e.g. " + missing.stream().limit(3).toList());
        assertEquals(new HashSet<>(published), new HashSet<>(stored));
    }
}
