package dev.heartbeat.core.port;

import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.heartbeat.core.port.StreamFixtures.awaitAll;
import static dev.heartbeat.core.port.StreamFixtures.batches;
import static dev.heartbeat.core.port.StreamFixtures.nothingStored;
import static dev.heartbeat.core.port.StreamFixtures.publishAll;
import static dev.heartbeat.core.port.StreamFixtures.readings;
import static dev.heartbeat.core.port.StreamFixtures.records;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ReadingPublisher} promises: a publish completes once its reading is durably in the
 * stream, where the matching source reads it back equal; one customer's readings go to one partition in
 * the order published; {@link ReadingPublisher#flush()} returns once every publish has completed; closing
 * delivers what is in flight and is harmless a second time. Run by the in-memory publisher and by the
 * Kafka one, each read back by its adapter's source.
 */
public abstract class ReadingPublisherContract {

    /** A new, empty stream of {@code partitions} partitions for this test alone. */
    protected abstract TestStream stream(int partitions);

    /** Every message of the stream, read by a new source from the beginning. */
    private static List<SourceRecord> readBack(TestStream stream, int messages) {
        try (ReadingSource source = stream.source()) {
            source.start(nothingStored());
            return records(batches(source, messages));
        }
    }

    @Test
    void aPublishCompletesOnceTheReadingIsInTheStreamAndItIsReadBackEqual() {
        TestStream stream = stream(3);
        List<Reading> published = readings(12, 5);
        try (ReadingPublisher publisher = stream.publisher()) {
            publishAll(publisher, published);
            // no flush, no close: a completed publish is already readable
            List<Reading> delivered = StreamFixtures.readings(readBack(stream, published.size()));
            assertEquals(published.size(), delivered.size());
            assertEquals(new HashSet<>(published), new HashSet<>(delivered));
        }
    }

    @Test
    void oneCustomersReadingsGoToOnePartitionInTheOrderPublished() {
        TestStream stream = stream(3);
        List<Reading> published = readings(10, 30);
        try (ReadingPublisher publisher = stream.publisher()) {
            publishAll(publisher, published);
        }
        Map<CustomerId, Set<StreamPartition>> partitionsOf = new HashMap<>();
        Map<CustomerId, List<Reading>> delivered = new HashMap<>();
        for (SourceRecord record : readBack(stream, published.size())) {
            Reading reading = StreamFixtures.reading(record);
            partitionsOf.computeIfAbsent(reading.customerId(), c -> new HashSet<>()).add(record.partition());
            delivered.computeIfAbsent(reading.customerId(), c -> new ArrayList<>()).add(reading);
        }
        Map<CustomerId, List<Reading>> inPublishOrder = new HashMap<>();
        published.forEach(r -> inPublishOrder.computeIfAbsent(r.customerId(), c -> new ArrayList<>()).add(r));
        partitionsOf.forEach((customer, partitions) -> assertEquals(1, partitions.size(), () -> customer + " on " + partitions));
        assertEquals(inPublishOrder, delivered, "each customer's readings in the order published");
        assertTrue(partitionsOf.values().stream().flatMap(Set::stream).distinct().count() > 1,
                "the customers spread over the partitions");
    }

    @Test
    void flushReturnsOnceEveryPublishHasCompleted() {
        TestStream stream = stream(2);
        List<Reading> published = readings(20, 25);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try (ReadingPublisher publisher = stream.publisher()) {
            published.forEach(r -> sent.add(publisher.publish(r)));
            publisher.flush();
            assertTrue(sent.stream().allMatch(CompletableFuture::isDone), "every publish completed when flush returns");
            assertFalse(sent.stream().anyMatch(CompletableFuture::isCompletedExceptionally), "and none failed");
        }
        assertEquals(published.size(), readBack(stream, published.size()).size());
    }

    @Test
    void closeDeliversWhatIsInFlightAndASecondCloseIsHarmless() {
        TestStream stream = stream(2);
        List<Reading> published = readings(10, 10);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        ReadingPublisher publisher = stream.publisher();
        published.forEach(r -> sent.add(publisher.publish(r)));
        publisher.close();
        awaitAll(sent);
        assertDoesNotThrow(publisher::close);
        assertEquals(new HashSet<>(published), new HashSet<>(StreamFixtures.readings(readBack(stream, published.size()))));
    }
}
