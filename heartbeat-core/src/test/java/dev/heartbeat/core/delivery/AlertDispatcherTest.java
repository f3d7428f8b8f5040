package dev.heartbeat.core.delivery;

import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlertDispatcherTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A sink that fails while {@code failing} is set and records what it delivered. */
    static final class FlakySink implements AlertSink {
        final List<String> delivered = new ArrayList<>();
        boolean failing;

        @Override
        public void deliver(AlertTransition transition) {
            if (failing) {
                throw new HeartbeatException("HTTP 500 from the receiver");
            }
            delivered.add(transition.kind() + " " + transition.alert().customer());
        }

        @Override
        public String name() {
            return "flaky";
        }
    }

    @Test
    void deliversInOrderAndRetriesFailuresWithBackoff() {
        ManualClock clock = new ManualClock();
        InMemoryDatabase database = new InMemoryDatabase(clock);
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> episode = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            episode.add(StoreFixtures.reading("amy", clock.now.minusSeconds(200 - i), i < 30 ? 220 : 80));
        }
        List<AlertTransition> transitions = engine.accept(episode);
        assertEquals(2, transitions.size());
        database.store().write(new StoreBatch(episode, List.of(), List.of(new PartitionRange(StoreFixtures.P0, 0, 80)), transitions));
        FlakySink sink = new FlakySink();
        AlertDispatcher dispatcher = new AlertDispatcher(database.outbox(), List.of(sink), clock,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Duration.ofMillis(10), 10);

        sink.failing = true;
        assertEquals(1, dispatcher.dispatchOnce(), "only the first transition of the alert is due");
        assertEquals(0, dispatcher.dispatchOnce(), "the retry waits for its back-off");
        clock.now = clock.now.plusSeconds(1);
        assertEquals(1, dispatcher.dispatchOnce());
        clock.now = clock.now.plusSeconds(1);
        assertEquals(0, dispatcher.dispatchOnce(), "the second retry waits 2 s");
        sink.failing = false;
        clock.now = clock.now.plusSeconds(1);
        dispatcher.dispatchOnce();
        dispatcher.dispatchOnce();

        assertEquals(List.of("FIRED amy", "RESOLVED amy"), sink.delivered);
        assertEquals(2, dispatcher.failures());
        assertEquals(2, dispatcher.delivered());
        assertEquals("HTTP 500 from the receiver", dispatcher.lastError());
        assertEquals(List.of(), database.outbox().due(clock.now.plus(Duration.ofDays(1)), 10));
    }
}
