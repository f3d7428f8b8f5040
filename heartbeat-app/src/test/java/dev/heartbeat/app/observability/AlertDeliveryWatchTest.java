package dev.heartbeat.app.observability;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.delivery.AlertDispatcher;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertDeliveryWatchTest {

    @Test
    void aFailingReceiverIsSaidOnceAndCountedAndItsRecoveryToo() throws InterruptedException {
        InMemoryDatabase database = new InMemoryDatabase(Clock.systemUTC());
        Instant base = StoreFixtures.baseTime();
        Reading first = StoreFixtures.reading("amy", base, 230);
        Alert alert = new Alert(Alert.idOf(AlertRule.tachycardia(), first), CustomerId.of("amy"), AlertRule.tachycardia(),
                AnomalyLevel.CRITICAL_HIGH, AlertState.FIRING, first, first, first, base, Optional.empty());
        database.store().write(new StoreBatch(List.of(first), List.of(), List.of(new PartitionRange(StoreFixtures.P0, 0, 1)),
                List.of(new AlertTransition(AlertTransition.Kind.FIRED, alert, base))));
        AtomicBoolean down = new AtomicBoolean(true);
        AlertSink receiver = new AlertSink() {
            @Override
            public void deliver(AlertTransition transition) {
                if (down.get()) {
                    throw new HeartbeatException("webhook http://pager.example answered HTTP 503");
                }
            }

            @Override
            public String name() {
                return "test";
            }
        };
        AlertDispatcher dispatcher = new AlertDispatcher(database.outbox(), List.of(receiver), Clock.systemUTC(),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), Duration.ofMillis(1), 10);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertDeliveryWatch watch = new AlertDeliveryWatch(dispatcher, registry);

        assertEquals(Optional.empty(), watch.check(), "nothing happened yet");
        dispatcher.dispatchOnce();
        Thread.sleep(20); // past the 1 ms back-off
        dispatcher.dispatchOnce();
        Optional<String> warning = watch.check();
        assertTrue(warning.orElseThrow().startsWith("Alert delivery failing: 2 attempts failed")
                && warning.get().endsWith("last error: webhook http://pager.example answered HTTP 503"), warning.toString());
        assertEquals(2.0, registry.get("heartbeat.alert.deliveries").tag("outcome", "failed").functionCounter().count());

        down.set(false);
        Thread.sleep(20);
        dispatcher.dispatchOnce();
        assertEquals(Optional.of("Alert delivery works again"), watch.check());
        assertEquals(Optional.empty(), watch.check());
        assertEquals(1.0, registry.get("heartbeat.alert.deliveries").tag("outcome", "delivered").functionCounter().count());
        assertEquals(0.0, registry.get("heartbeat.alert.deliveries").tag("outcome", "held").functionCounter().count(),
                "no silence held anything back");
    }
}
