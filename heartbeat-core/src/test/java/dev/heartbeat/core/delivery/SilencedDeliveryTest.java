package dev.heartbeat.core.delivery;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Silences between the engine and the sinks: muted alerts are stored but held back, a snooze never
 * mutes an escalation to critical unless it says so, and what still fires when a silence is over is
 * delivered once.
 */
class SilencedDeliveryTest {

    private final AlertDispatcherTest.ManualClock clock = new AlertDispatcherTest.ManualClock();
    private final InMemoryDatabase database = new InMemoryDatabase(clock);
    private final AlertEngine engine = AlertEngine.withDefaults();
    private final AlertDispatcherTest.FlakySink sink = new AlertDispatcherTest.FlakySink();
    private AlertDispatcher dispatcher;
    private Instant readingsAt;
    private long offset;

    @BeforeEach
    void dispatcher() {
        dispatcher = new AlertDispatcher(database.outbox(), List.of(sink), clock,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Duration.ofMillis(10), 10,
                dev.heartbeat.core.alert.Reminders.OFF, database.silences());
        readingsAt = clock.now.minus(Duration.ofHours(1));
    }

    /** {@code seconds} readings of {@code customer} at {@code bpm}, one a second, through the engine into the store. */
    private void send(String customer, int seconds, int bpm) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            readings.add(StoreFixtures.reading(customer, readingsAt, bpm));
            readingsAt = readingsAt.plusSeconds(1);
        }
        List<AlertTransition> transitions = engine.accept(readings);
        database.store().write(new StoreBatch(readings, List.of(),
                List.of(new PartitionRange(StoreFixtures.P0, offset, offset + seconds)), transitions));
        offset += seconds;
    }

    private void dispatch() {
        for (int i = 0; i < 5; i++) {
            dispatcher.dispatchOnce();
        }
    }

    private Silence snooze(String customer, Duration length) {
        return database.silences().create(SilenceRequest.snooze(Optional.of(CustomerId.of(customer)), Optional.empty(),
                clock.now, length, "checked by phone"), "nurse.kim", clock.now);
    }

    @Test
    void aSnoozedAlertIsStoredButNotDeliveredWhileOthersAre() {
        snooze("amy", Duration.ofMinutes(15));
        send("amy", 70, 170);
        send("bob", 70, 170);
        dispatch();
        assertEquals(List.of("FIRED bob"), sink.delivered);
        assertEquals(1, dispatcher.held());
        assertEquals(1, database.alerts().openAlerts(List.of(CustomerId.of("amy"))).size(), "evaluated and stored");
    }

    @Test
    void whenTheSilenceEndsWhileTheAlertStillFiresItIsDeliveredOnce() {
        snooze("amy", Duration.ofMinutes(15));
        send("amy", 70, 170);
        dispatch();
        assertEquals(List.of(), sink.delivered);
        clock.now = clock.now.plus(Duration.ofMinutes(15));
        dispatch();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        dispatch();
        assertEquals(List.of("FIRED amy"), sink.delivered);
    }

    @Test
    void endingASilenceEarlyDeliversAtTheNextDispatch() {
        Silence silence = snooze("amy", Duration.ofMinutes(60));
        send("amy", 70, 170);
        dispatch();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        database.silences().end(silence.id(), "nurse.lee", clock.now);
        dispatch();
        assertEquals(List.of("FIRED amy"), sink.delivered);
    }

    @Test
    void anAlertThatResolvedDuringTheSilenceIsNeverDelivered() {
        snooze("amy", Duration.ofMinutes(15));
        send("amy", 70, 170);
        send("amy", 40, 80);
        dispatch();
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        dispatch();
        assertEquals(List.of(), sink.delivered, "neither the alert nor its end");
    }

    @Test
    void aSnoozeNeverMutesTheEscalationToCritical() {
        snooze("amy", Duration.ofMinutes(15));
        send("amy", 70, 170);
        dispatch();
        send("amy", 15, 215);
        dispatch();
        assertEquals(List.of("ESCALATED amy"), sink.delivered);
        send("amy", 40, 80);
        dispatch();
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        dispatch();
        assertEquals(List.of("ESCALATED amy", "RESOLVED amy"), sink.delivered, "the held high alert is not sent after");
    }

    @Test
    void aSilenceThatSaysSoMutesCriticalAlertsToo() {
        database.silences().create(new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(), Optional.empty(),
                true, clock.now, clock.now.plus(Duration.ofMinutes(15)), "sensor on the charger"), "nurse.kim", clock.now);
        send("amy", 15, 215);
        dispatch();
        assertEquals(List.of(), sink.delivered);
        assertEquals(AnomalyLevel.CRITICAL_HIGH, database.alerts().active(10).getFirst().alert().severity());
    }

    @Test
    void aSilenceThatStartsLaterMutesNothingYet() {
        database.silences().create(new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(), Optional.empty(),
                false, clock.now.plus(Duration.ofHours(1)), clock.now.plus(Duration.ofHours(2)), "procedure at noon"),
                "nurse.kim", clock.now);
        send("amy", 70, 170);
        dispatch();
        assertEquals(List.of("FIRED amy"), sink.delivered);
    }
}
