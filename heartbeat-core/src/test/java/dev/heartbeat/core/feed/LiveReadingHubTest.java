package dev.heartbeat.core.feed;

import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.WriteOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveReadingHubTest {

    @Test
    void handsCommittedReadingsToEverySubscriberUntilItUnsubscribes() throws Exception {
        LiveReadingHub hub = new LiveReadingHub(8);
        List<Reading> received = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        ReadingFeed.Subscription subscription = hub.subscribe(readings -> {
            received.addAll(readings);
            two.countDown();
        });
        List<Reading> first = StoreFixtures.series("amy", Instant.parse("2026-11-29T10:00:00Z"), 3, 70);
        List<Reading> second = StoreFixtures.series("ben", Instant.parse("2026-11-29T10:00:00Z"), 2, 70);

        hub.committed(StoreFixtures.batch(StoreFixtures.P0, 0, first), new WriteOutcome.Committed(3, 0, 0));
        hub.committed(StoreFixtures.batch(StoreFixtures.P0, 3, second), new WriteOutcome.Committed(2, 0, 0));

        assertTrue(two.await(5, TimeUnit.SECONDS));
        assertEquals(5, received.size());
        subscription.close();
        hub.committed(StoreFixtures.batch(StoreFixtures.P0, 5, first), new WriteOutcome.Committed(0, 3, 0));
        TimeUnit.MILLISECONDS.sleep(100);
        assertEquals(5, received.size());
    }

    @Test
    void aStuckSubscriberLosesBatchesButNeverBlocksTheIngestThread() throws Exception {
        LiveReadingHub hub = new LiveReadingHub(2);
        CountDownLatch release = new CountDownLatch(1);
        try (ReadingFeed.Subscription ignored = hub.subscribe(readings -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            List<Reading> one = StoreFixtures.series("amy", Instant.parse("2026-11-29T10:00:00Z"), 1, 70);
            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                hub.committed(StoreFixtures.batch(StoreFixtures.P0, i, one), new WriteOutcome.Committed(1, 0, 0));
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2));
            assertTrue(hub.dropped() >= 47, "dropped " + hub.dropped());
            release.countDown();
        }
    }
}
