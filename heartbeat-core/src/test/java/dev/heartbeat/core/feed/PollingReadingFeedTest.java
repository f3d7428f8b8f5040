package dev.heartbeat.core.feed;

import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollingReadingFeedTest {

    @Test
    void handsOnOnlyReadingsNewerThanThoseAlreadySeen() throws Exception {
        InMemoryDatabase database = new InMemoryDatabase(Clock.systemUTC());
        ReadingStore store = database.store();
        Instant base = Instant.parse("2026-11-29T10:00:00Z");
        store.write(StoreFixtures.batch(StoreFixtures.P0, 0, List.of(StoreFixtures.reading("amy", base, 70))));
        List<Reading> received = new CopyOnWriteArrayList<>();
        try (PollingReadingFeed feed = new PollingReadingFeed(database.queries(), Duration.ofMillis(20));
             ReadingFeed.Subscription ignored = feed.subscribe(received::addAll)) {
            TimeUnit.MILLISECONDS.sleep(100);
            assertTrue(received.isEmpty(), "what was there before is not news: " + received);
            Reading later = StoreFixtures.reading("amy", base.plusSeconds(1), 72);
            Reading other = StoreFixtures.reading("bob", base.plusSeconds(1), 90);
            store.write(StoreFixtures.batch(StoreFixtures.P0, 1, List.of(later, other)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            TimeUnit.MILLISECONDS.sleep(100);
            assertEquals(2, received.size(), received.toString());
            assertTrue(received.containsAll(List.of(later, other)));
        }
    }

    @Test
    void asksTheStoreNothingWhileNobodyListens() throws Exception {
        InMemoryDatabase database = new InMemoryDatabase(Clock.systemUTC());
        try (PollingReadingFeed feed = new PollingReadingFeed(database.queries(), Duration.ofMillis(20))) {
            TimeUnit.MILLISECONDS.sleep(200);
            assertEquals(0, feed.polls(), "no listener, no query");
            try (ReadingFeed.Subscription listening = feed.subscribe(readings -> { })) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (feed.polls() < 3 && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                assertTrue(feed.polls() >= 3, "polls while someone listens");
            }
            TimeUnit.MILLISECONDS.sleep(100);
            long after = feed.polls();
            TimeUnit.MILLISECONDS.sleep(200);
            assertEquals(after, feed.polls(), "and stops once they have gone");
        }
    }
}
