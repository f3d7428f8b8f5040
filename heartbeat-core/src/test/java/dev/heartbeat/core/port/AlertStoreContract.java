package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.AlertHistory;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every store promises about alerts: transitions durable with their batch, the store as the
 * arbiter (a replayed or misplaced transition changes nothing and is not delivered twice), open
 * alerts restorable, acknowledgements kept, and an outbox that delivers each alert's transitions in
 * order. Run by the in-memory store and by the PostgreSQL one.
 */
public abstract class AlertStoreContract {

    protected ReadingStore store;
    protected AlertStore alerts;
    protected AlertOutbox outbox;
    protected SilenceStore silences;
    protected Instant base;
    private long nextOffset;

    /** A store with nothing in it. */
    protected abstract ReadingStore emptyStore();

    /** The alert views over {@code store}'s data. */
    protected abstract AlertStore alertsOf(ReadingStore store);

    /** The outbox over {@code store}'s data. */
    protected abstract AlertOutbox outboxOf(ReadingStore store);

    /** The silences over {@code store}'s data. */
    protected abstract SilenceStore silencesOf(ReadingStore store);

    @BeforeEach
    void freshStore() {
        store = emptyStore();
        alerts = alertsOf(store);
        outbox = outboxOf(store);
        silences = silencesOf(store);
        base = StoreFixtures.baseTime();
        nextOffset = 0;
    }

    static Alert firing(String customer, AlertRule rule, AnomalyLevel severity, Reading first, Reading last, Reading peak) {
        return new Alert(Alert.idOf(rule, first), CustomerId.of(customer), rule, severity, AlertState.FIRING, first, last,
                peak, last.recordedAt(), Optional.empty());
    }

    static Alert resolved(Alert alert, Instant at) {
        return new Alert(alert.id(), alert.customer(), alert.rule(), alert.severity(), AlertState.RESOLVED,
                alert.firstTriggering(), alert.lastTriggering(), alert.peak(), alert.firedAt(), Optional.of(at));
    }

    /** Writes the readings the transitions mention, with the transitions, as the next batch on P0. */
    protected WriteOutcome write(AlertTransition... transitions) {
        List<Reading> readings = new ArrayList<>();
        for (AlertTransition t : transitions) {
            readings.add(t.alert().lastTriggering());
        }
        long from = nextOffset;
        nextOffset += readings.size();
        return store.write(new StoreBatch(readings, List.of(), List.of(new PartitionRange(P0, from, nextOffset)),
                List.of(transitions)));
    }

    protected Alert tachycardiaOf(String customer, int startSecond, int bpm) {
        Reading first = reading(customer, base.plusSeconds(startSecond), bpm);
        Reading last = reading(customer, base.plusSeconds(startSecond + 10), bpm);
        return firing(customer, AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH, first, last, last);
    }

    @Test
    void aFiredAlertIsStoredWithItsBatchAndCanBeRestored() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        assertInstanceOf(WriteOutcome.Committed.class, write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt())));

        StoredAlert stored = alerts.alert(alert.id()).orElseThrow();
        assertEquals(alert, stored.alert());
        assertEquals(Optional.empty(), stored.acknowledgement());
        assertEquals(List.of(alert), alerts.openAlerts(List.of(CustomerId.of("amy"), CustomerId.of("bob"))));
        assertEquals(List.of(), alerts.openAlerts(List.of(CustomerId.of("bob"))));
        assertEquals(List.of(alert), alerts.active(10).stream().map(StoredAlert::alert).toList());
        List<PendingDelivery> due = outbox.due(Instant.now().plusSeconds(1), 10);
        assertEquals(1, due.size());
        assertEquals(AlertTransition.Kind.FIRED, due.getFirst().transition().kind());
        assertEquals(alert, due.getFirst().transition().alert());
        assertEquals(0, due.getFirst().attempts());
    }

    @Test
    void theRecentHistoryHoldsTheOpenAlertsTheResolutionsAndTheReadingsSinceAMoment() {
        Alert open = tachycardiaOf("amy", 0, 230);
        write(new AlertTransition(AlertTransition.Kind.FIRED, open, open.firedAt()));
        Alert early = tachycardiaOf("bob", 0, 220);
        write(new AlertTransition(AlertTransition.Kind.FIRED, early, early.firedAt()));
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(early, base.plusSeconds(40)), base.plusSeconds(40)));
        Alert late = tachycardiaOf("bob", 100, 225);
        write(new AlertTransition(AlertTransition.Kind.FIRED, late, late.firedAt()));
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(late, base.plusSeconds(140)), base.plusSeconds(140)));
        Alert other = tachycardiaOf("cid", 0, 210);
        write(new AlertTransition(AlertTransition.Kind.FIRED, other, other.firedAt()));

        AlertHistory history = alerts.recent(List.of(CustomerId.of("amy"), CustomerId.of("bob")), base.plusSeconds(60));
        assertEquals(List.of(open), history.open());
        assertEquals(List.of(resolved(late, base.plusSeconds(140))), history.resolved(), "resolved since, not before");
        assertEquals(List.of(open.lastTriggering(), late.lastTriggering()), history.readings(),
                "the stored readings since, of these customers; for amy, whose alert is open, since its last transition");
        assertEquals(AlertHistory.NONE, alerts.recent(List.of(), base));
    }

    @Test
    void aFiringAlertNobodyAcknowledgesIsSentAgainOneLevelUpAndRepeatedUntilSomeoneDoes() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        Alert quiet = tachycardiaOf("bob", 0, 225);
        write(new AlertTransition(AlertTransition.Kind.FIRED, quiet, quiet.firedAt()));
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(quiet, base.plusSeconds(60)), base.plusSeconds(60)));
        Instant raised = Instant.now();
        Reminders reminders = new Reminders(Duration.ofMinutes(15), Duration.ofMinutes(10));

        assertEquals(List.of(), outbox.remind(raised.plus(Duration.ofMinutes(9)), reminders));
        Instant t11 = raised.plus(Duration.ofMinutes(11));
        assertEquals(List.of(new AlertTransition(AlertTransition.Kind.REPEATED, alert, t11, 0)), outbox.remind(t11, reminders),
                "repeated after 10 minutes; the resolved alert is not");
        assertEquals(List.of(), outbox.remind(t11, reminders), "queued once, whoever asks again");
        Instant t16 = raised.plus(Duration.ofMinutes(16));
        assertEquals(List.of(new AlertTransition(AlertTransition.Kind.UNACKNOWLEDGED, alert, t16, 1)), outbox.remind(t16, reminders),
                "not acknowledged within 15 minutes: one level up");
        assertEquals(1, alerts.alert(alert.id()).orElseThrow().escalationLevel(), "the store shows the level");
        assertEquals(List.of(), outbox.remind(raised.plus(Duration.ofMinutes(20)), reminders), "just sent: no repeat yet");
        Instant t27 = raised.plus(Duration.ofMinutes(27));
        assertEquals(List.of(new AlertTransition(AlertTransition.Kind.REPEATED, alert, t27, 1)), outbox.remind(t27, reminders));

        List<AlertTransition.Kind> queued = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (PendingDelivery pending : outbox.due(Instant.now().plus(Duration.ofDays(1)), 10)) {
                if (pending.transition().alert().id().equals(alert.id())) {
                    queued.add(pending.transition().kind());
                    levels.add(pending.transition().escalationLevel());
                }
                outbox.delivered(pending.id(), Instant.now());
            }
        }
        assertEquals(List.of(AlertTransition.Kind.FIRED, AlertTransition.Kind.REPEATED, AlertTransition.Kind.UNACKNOWLEDGED,
                AlertTransition.Kind.REPEATED), queued, "delivered in order, each once");
        assertEquals(List.of(0, 0, 1, 1), levels);

        alerts.acknowledge(alert.id(), new Acknowledgement("rui", t27.plusSeconds(1)));
        assertEquals(List.of(), outbox.remind(raised.plus(Duration.ofHours(5)), reminders), "acknowledged: no more reminders");
        assertEquals(List.of(), outbox.remind(raised.plus(Duration.ofHours(5)), Reminders.OFF));
    }

    @Test
    void aStaleBatchWritesNoAlert() {
        Alert first = tachycardiaOf("amy", 0, 230);
        write(new AlertTransition(AlertTransition.Kind.FIRED, first, first.firedAt()));
        Alert other = tachycardiaOf("bob", 0, 220);
        WriteOutcome stale = store.write(new StoreBatch(List.of(other.lastTriggering()), List.of(),
                List.of(new PartitionRange(P0, 0, 1)), List.of(new AlertTransition(AlertTransition.Kind.FIRED, other, other.firedAt()))));
        assertInstanceOf(WriteOutcome.Stale.class, stale);
        assertEquals(Optional.empty(), alerts.alert(other.id()));
        assertEquals(1, outbox.due(Instant.now().plusSeconds(1), 10).size());
    }

    @Test
    void aReplayedOrMisplacedTransitionChangesNothing() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        AlertTransition fired = new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt());
        write(fired);
        write(fired);
        Alert never = tachycardiaOf("cid", 0, 210);
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(never, base.plusSeconds(60)), base.plusSeconds(60)));

        assertEquals(1, outbox.due(Instant.now().plusSeconds(1), 10).size());
        assertEquals(Optional.empty(), alerts.alert(never.id()));
    }

    @Test
    void escalationAndResolutionUpdateTheAlert() {
        Reading first = reading("amy", base, 170);
        Reading high = reading("amy", base.plusSeconds(60), 175);
        Alert alert = firing("amy", AlertRule.tachycardia(), AnomalyLevel.HIGH, first, high, high);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, high.recordedAt()));
        Reading critical = reading("amy", base.plusSeconds(80), 215);
        Alert escalated = new Alert(alert.id(), alert.customer(), alert.rule(), AnomalyLevel.CRITICAL_HIGH,
                AlertState.FIRING, first, critical, critical, alert.firedAt(), Optional.empty());
        write(new AlertTransition(AlertTransition.Kind.ESCALATED, escalated, critical.recordedAt()));
        assertEquals(AnomalyLevel.CRITICAL_HIGH, alerts.alert(alert.id()).orElseThrow().alert().severity());
        assertEquals(215, alerts.alert(alert.id()).orElseThrow().alert().peak().heartRate());

        Instant end = base.plusSeconds(130);
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(escalated, end), end));
        StoredAlert done = alerts.alert(alert.id()).orElseThrow();
        assertEquals(AlertState.RESOLVED, done.alert().state());
        assertEquals(Optional.of(end), done.alert().resolvedAt());
        assertEquals(List.of(), alerts.openAlerts(List.of(CustomerId.of("amy"))));
        assertEquals(List.of(), alerts.active(10));
    }

    @Test
    void theFirstAcknowledgementIsKept() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        Acknowledgement first = new Acknowledgement("nurse on ward 3", base.plusSeconds(30), Optional.of("called, all well"));
        assertEquals(Optional.of(first), alerts.acknowledge(alert.id(), first).orElseThrow().acknowledgement());
        Acknowledgement second = new Acknowledgement("someone else", base.plusSeconds(40));
        assertEquals(Optional.of(first), alerts.acknowledge(alert.id(), second).orElseThrow().acknowledgement());
        assertEquals(Optional.of(first), alerts.alert(alert.id()).orElseThrow().acknowledgement());
        assertEquals(Optional.empty(), alerts.acknowledge("no/such/alert", first));
    }

    @Test
    void activeAlertsComeMostSevereFirstThenNewest() {
        Alert older = tachycardiaOf("amy", 0, 230);
        Alert newer = tachycardiaOf("bob", 100, 220);
        Reading l1 = reading("cid", base.plusSeconds(200), 55);
        Alert mild = firing("cid", AlertRule.bradycardia(), AnomalyLevel.LOW, l1, l1, l1);
        write(new AlertTransition(AlertTransition.Kind.FIRED, older, older.firedAt()),
                new AlertTransition(AlertTransition.Kind.FIRED, mild, mild.firedAt()),
                new AlertTransition(AlertTransition.Kind.FIRED, newer, newer.firedAt()));
        assertEquals(List.of(newer.id(), older.id(), mild.id()), alerts.active(10).stream().map(a -> a.alert().id()).toList());
        assertEquals(List.of(newer.id()), alerts.active(1).stream().map(a -> a.alert().id()).toList());
    }

    @Test
    void historyPagesNewestFirstAndFiltersByCustomer() {
        List<AlertTransition> transitions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Alert alert = tachycardiaOf(i % 3 == 0 ? "amy" : "bob", i * 100, 205 + i);
            transitions.add(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        }
        write(transitions.toArray(AlertTransition[]::new));
        TimeRange range = new TimeRange(base.minusSeconds(1), base.plus(Duration.ofHours(1)));
        List<String> seen = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            Page<StoredAlert> page = alerts.history(Optional.empty(), range, new PageRequest(5, after));
            page.items().forEach(a -> seen.add(a.alert().id()));
            after = page.next();
        } while (after.isPresent());
        assertEquals(12, seen.size());
        assertEquals(12, Set.copyOf(seen).size());
        assertEquals(transitions.getLast().alert().id(), seen.getFirst());
        assertEquals(4, alerts.history(Optional.of(CustomerId.of("amy")), range, PageRequest.first(100)).items().size());
    }

    @Test
    void aClaimedTransitionIsHandedOutOnceUntilItsLeaseRunsOut() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        Instant now = Instant.now();

        assertEquals(1, outbox.due(now, 10).size());
        assertEquals(List.of(), outbox.due(now, 10), "a second dispatcher (another consumer) gets nothing");
        assertEquals(List.of(), outbox.due(now.plus(AlertOutbox.CLAIM_LEASE).minusSeconds(1), 10));
        List<PendingDelivery> again = outbox.due(now.plus(AlertOutbox.CLAIM_LEASE).plusSeconds(1), 10);
        assertEquals(1, again.size(), "the claimer died without a word: someone else delivers it");
        assertEquals(alert, again.getFirst().transition().alert());
    }

    @Test
    void dispatchersRacingForTheOutboxNeverGetTheSameTransition() throws Exception {
        int alertCount = 40;
        for (int i = 0; i < alertCount; i++) {
            Alert alert = tachycardiaOf("c" + i, 0, 230);
            write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        }
        Instant now = Instant.now();
        java.util.concurrent.ExecutorService dispatchers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<Long>>> claims = new java.util.ArrayList<>();
            for (int d = 0; d < 4; d++) {
                claims.add(dispatchers.submit(() -> {
                    List<Long> ids = new java.util.ArrayList<>();
                    for (List<PendingDelivery> got = outbox.due(now, 3); !got.isEmpty(); got = outbox.due(now, 3)) {
                        got.forEach(pending -> ids.add(pending.id()));
                    }
                    return ids;
                }));
            }
            List<Long> all = new java.util.ArrayList<>();
            for (var claim : claims) {
                all.addAll(claim.get());
            }
            assertEquals(alertCount, all.size(), "every transition claimed exactly once: " + all);
            assertEquals(alertCount, new java.util.HashSet<>(all).size());
        } finally {
            dispatchers.shutdownNow();
        }
    }

    @Test
    void theOutboxDeliversEachAlertsTransitionsInOrderAndRetriesFailures() {
        Alert alert = tachycardiaOf("amy", 0, 230);
        Instant end = base.plusSeconds(60);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(alert, end), end));
        Instant now = Instant.now();

        List<PendingDelivery> first = outbox.due(now, 10);
        assertEquals(List.of(AlertTransition.Kind.FIRED), first.stream().map(p -> p.transition().kind()).toList());
        outbox.failed(first.getFirst().id(), 1, now.plusSeconds(30), "connection refused");
        assertEquals(List.of(), outbox.due(now, 10), "nothing of that alert before its retry is due");
        PendingDelivery retry = outbox.due(now.plusSeconds(31), 10).getFirst();
        assertEquals(AlertTransition.Kind.FIRED, retry.transition().kind());
        assertEquals(1, retry.attempts());
        outbox.delivered(retry.id(), now.plusSeconds(31));
        List<PendingDelivery> next = outbox.due(now.plusSeconds(31), 10);
        assertEquals(List.of(AlertTransition.Kind.RESOLVED), next.stream().map(p -> p.transition().kind()).toList());
        outbox.delivered(next.getFirst().id(), now.plusSeconds(32));
        assertEquals(List.of(), outbox.due(now.plus(Duration.ofDays(1)), 10));
    }

    // ---- silences: what the outbox holds back, and what it releases when a silence is over

    private Silence silenceFor(String customer) {
        return silences.create(SilenceRequest.snooze(Optional.of(CustomerId.of(customer)), Optional.empty(), base,
                Duration.ofMinutes(30), "on the phone with the patient"), "nurse.kim", base);
    }

    /** A tachycardia alert of {@code customer} that fired, written with its batch. */
    private Alert firedFor(String customer) {
        Alert alert = tachycardiaOf(customer, 0, 170);
        write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        return alert;
    }

    /** Queues a repeat of every firing alert (due at {@code now} plus two hours) and claims it. */
    private PendingDelivery repeatedAt(Instant now) {
        outbox.remind(now.plus(Duration.ofHours(2)), new Reminders(Duration.ZERO, Duration.ofHours(1)));
        return claim(now);
    }

    /** Claims the one transition due at {@code now} and returns it. */
    private PendingDelivery claim(Instant now) {
        List<PendingDelivery> due = outbox.due(now, 10);
        assertEquals(1, due.size(), "one transition due: " + due);
        return due.getFirst();
    }

    @Test
    void aHeldTransitionWaitsForItsSilenceAndTheNewestOneIsReleasedOnce() {
        Alert alert = firedFor("amy");
        Silence silence = silenceFor("amy");
        Instant now = Instant.now();
        PendingDelivery fired = claim(now);
        assertEquals(false, fired.announced());
        outbox.hold(fired.id(), silence.id());
        assertEquals(List.of(), outbox.due(now.plus(Duration.ofDays(1)), 10), "held: not handed out, lease or not");
        PendingDelivery repeated = repeatedAt(now);
        assertEquals(AlertTransition.Kind.REPEATED, repeated.transition().kind());
        outbox.hold(repeated.id(), silence.id());

        assertEquals(0, outbox.release(List.of(silence.id()), now), "still in effect: nothing released");
        assertEquals(List.of(), outbox.due(now, 10));
        assertEquals(1, outbox.release(List.of(), now), "over: the newest held transition, once");
        assertEquals(0, outbox.release(List.of(), now));
        PendingDelivery released = claim(now);
        assertEquals(repeated.id(), released.id());
        assertEquals(false, released.announced(), "the sinks never heard of it");
        outbox.delivered(released.id(), now);
        assertEquals(List.of(), outbox.due(now.plus(Duration.ofDays(1)), 10), "the older held one was dropped");

        Instant end = base.plusSeconds(100);
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(alert, end), end));
        assertEquals(true, claim(now).announced(), "its resolution goes to the sinks that heard of it");
    }

    @Test
    void anAlertThatResolvedWhileHeldIsDroppedWhole() {
        Alert alert = firedFor("amy");
        Silence silence = silenceFor("amy");
        Instant now = Instant.now();
        outbox.hold(claim(now).id(), silence.id());
        Instant end = base.plusSeconds(100);
        write(new AlertTransition(AlertTransition.Kind.RESOLVED, resolved(alert, end), end));
        PendingDelivery resolution = claim(now);
        assertEquals(AlertTransition.Kind.RESOLVED, resolution.transition().kind());
        assertEquals(false, resolution.announced());
        outbox.skip(resolution.id(), now);
        assertEquals(0, outbox.release(List.of(), now), "nothing left to release");
        assertEquals(List.of(), outbox.due(now.plus(Duration.ofDays(1)), 10));
    }

    @Test
    void aHeldTransitionIsDroppedWhenALaterOneWasDeliveredMeanwhile() {
        Reading first = reading("amy", base, 170);
        Alert high = firing("amy", AlertRule.tachycardia(), AnomalyLevel.HIGH, first, first, first);
        write(new AlertTransition(AlertTransition.Kind.FIRED, high, first.recordedAt()));
        Silence silence = silenceFor("amy");
        Instant now = Instant.now();
        outbox.hold(claim(now).id(), silence.id());
        Reading critical = reading("amy", base.plusSeconds(20), 215);
        Alert escalated = new Alert(high.id(), high.customer(), high.rule(), AnomalyLevel.CRITICAL_HIGH, AlertState.FIRING,
                first, critical, critical, high.firedAt(), Optional.empty());
        write(new AlertTransition(AlertTransition.Kind.ESCALATED, escalated, critical.recordedAt()));
        PendingDelivery toCritical = claim(now);
        assertEquals(AlertTransition.Kind.ESCALATED, toCritical.transition().kind(), "not blocked by the held one");
        outbox.delivered(toCritical.id(), now);
        assertEquals(0, outbox.release(List.of(), now), "the held one is older than what the sinks have");
        assertEquals(List.of(), outbox.due(now.plus(Duration.ofDays(1)), 10));
    }

    @Test
    void anOlderHeldTransitionIsDroppedWhenANewerOneIsHeldByAnotherSilence() {
        firedFor("amy");
        Silence first = silenceFor("amy");
        Silence second = silenceFor("amy");
        Instant now = Instant.now();
        outbox.hold(claim(now).id(), first.id());
        PendingDelivery repeated = repeatedAt(now);
        outbox.hold(repeated.id(), second.id());
        assertEquals(0, outbox.release(List.of(second.id()), now), "the first is over, but a newer one is held by the second");
        assertEquals(List.of(), outbox.due(now, 10));
        assertEquals(1, outbox.release(List.of(), now), "the second is over: the newest goes out");
        assertEquals(repeated.id(), claim(now).id());
    }

    @Test
    void aTransitionDeliveredByTheDispatcherThatTookItOverIsNotHeldAgain() {
        firedFor("amy");
        Silence silence = silenceFor("amy");
        Instant now = Instant.now();
        PendingDelivery slow = claim(now);
        Instant later = now.plus(AlertOutbox.CLAIM_LEASE).plusSeconds(1);
        PendingDelivery takenOver = claim(later);
        assertEquals(slow.id(), takenOver.id());
        outbox.delivered(takenOver.id(), later);
        outbox.hold(slow.id(), silence.id()); // the first dispatcher, late, saw the silence
        assertEquals(0, outbox.release(List.of(), later.plusSeconds(1)), "delivered stays delivered");
        assertEquals(List.of(), outbox.due(later.plus(Duration.ofDays(1)), 10));
    }
}
