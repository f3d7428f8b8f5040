package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertEngineTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final CustomerId BOB = CustomerId.of("bob");

    /** {@code seconds} readings one second apart from {@code from} seconds, all at {@code bpm}. */
    static List<Reading> steady(int from, int seconds, int bpm) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            readings.add(new Reading(BOB, T0.plusSeconds(from + i), bpm, Activity.NORMAL));
        }
        return readings;
    }

    @Test
    void aCriticalEpisodeFiresAfterTenSecondsAndResolvesThirtySecondsAfterItEnds() {
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> readings = new ArrayList<>(steady(0, 5, 75));
        readings.addAll(steady(5, 20, 215));
        readings.set(15, new Reading(BOB, T0.plusSeconds(15), 240, Activity.NORMAL));
        readings.addAll(steady(25, 40, 80));

        List<AlertTransition> transitions = engine.accept(readings);

        assertEquals(2, transitions.size(), transitions.toString());
        AlertTransition fired = transitions.get(0);
        assertEquals(AlertTransition.Kind.FIRED, fired.kind());
        assertEquals(T0.plusSeconds(15), fired.at(), "10 s after the first critical reading at 5 s");
        assertEquals(AnomalyLevel.CRITICAL_HIGH, fired.alert().severity());
        assertEquals("tachycardia", fired.alert().rule().name());
        assertEquals(T0.plusSeconds(5), fired.alert().firstTriggering().recordedAt());
        AlertTransition resolved = transitions.get(1);
        assertEquals(AlertTransition.Kind.RESOLVED, resolved.kind());
        assertEquals(T0.plusSeconds(55), resolved.at(), "30 s after the first normal reading at 25 s");
        assertEquals(240, resolved.alert().peak().heartRate());
        assertEquals(T0.plusSeconds(24), resolved.alert().lastTriggering().recordedAt());
        assertEquals(fired.alert().id(), resolved.alert().id());
    }

    @Test
    void aHighAlertEscalatesWhenItBecomesCritical() {
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> readings = new ArrayList<>(steady(0, 70, 170));
        readings.addAll(steady(70, 15, 205));
        readings.addAll(steady(85, 2, 170));

        List<AlertTransition> transitions = engine.accept(readings);

        assertEquals(List.of(AlertTransition.Kind.FIRED, AlertTransition.Kind.ESCALATED),
                transitions.stream().map(AlertTransition::kind).toList());
        assertEquals(AnomalyLevel.HIGH, transitions.get(0).alert().severity());
        assertEquals(T0.plusSeconds(60), transitions.get(0).at());
        assertEquals(AnomalyLevel.CRITICAL_HIGH, transitions.get(1).alert().severity());
        assertEquals(T0.plusSeconds(80), transitions.get(1).at());
        assertEquals(transitions.get(0).alert().id(), transitions.get(1).alert().id());
        assertEquals(1, engine.open().size());
    }

    @Test
    void exerciseExplainsAHighHeartRateButNotACriticalOne() {
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> exercising = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            exercising.add(new Reading(BOB, T0.plusSeconds(i), i < 100 ? 175 : 215, Activity.EXERCISE));
        }
        List<AlertTransition> transitions = engine.accept(exercising);
        assertEquals(1, transitions.size(), transitions.toString());
        assertEquals(AnomalyLevel.CRITICAL_HIGH, transitions.getFirst().alert().severity());
        assertEquals(T0.plusSeconds(110), transitions.getFirst().at());
    }

    @Test
    void aShortExcursionRaisesNothing() {
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> readings = new ArrayList<>(steady(0, 9, 35));
        readings.addAll(steady(9, 5, 65));
        readings.addAll(steady(14, 9, 33));
        readings.addAll(steady(23, 5, 70));
        assertTrue(engine.accept(readings).isEmpty());
    }

    @Test
    void aRestoredOpenAlertIsContinuedNotDuplicated() {
        AlertEngine before = AlertEngine.withDefaults();
        List<AlertTransition> fired = before.accept(steady(0, 20, 35));
        Alert open = fired.getFirst().alert();

        AlertEngine after = AlertEngine.withDefaults();
        after.restore(BOB, List.of(open));
        List<AlertTransition> next = after.accept(steady(20, 10, 34));
        assertTrue(next.isEmpty(), next.toString());
        List<AlertTransition> calm = after.accept(steady(30, 40, 72));
        assertEquals(1, calm.size());
        assertEquals(AlertTransition.Kind.RESOLVED, calm.getFirst().kind());
        assertEquals(open.id(), calm.getFirst().alert().id());
        assertEquals(34, calm.getFirst().alert().peak().heartRate(), "the trough continues after the restore");
    }

    @Test
    void anOpenAlertOfARuleNoLongerConfiguredIsLeftAlone() {
        Alert open = AlertEngine.withDefaults().accept(steady(0, 20, 35)).getFirst().alert();
        AlertEngine tachycardiaOnly = new AlertEngine(List.of(AlertRule.tachycardia()), java.time.Duration.ofSeconds(1));

        tachycardiaOnly.restore(BOB, List.of(open));

        assertTrue(tachycardiaOnly.knows(BOB));
        assertTrue(tachycardiaOnly.open().isEmpty(), "the bradycardia alert is not tracked");
        assertTrue(tachycardiaOnly.accept(steady(20, 60, 35)).isEmpty(), "nor raised again by a rule it does not have");
    }

    @Test
    void customersQuietForTenMinutesOfEventTimeAreForgottenAndTheBusyOnesKept() {
        AlertEngine engine = AlertEngine.withDefaults();
        List<Reading> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(new Reading(CustomerId.of("id-" + i), T0, 72, Activity.NORMAL));
        }
        engine.accept(many);
        // bob's tachycardia fires and stays firing; amy's pending condition is still pending when the others go quiet
        List<AlertTransition> fired = engine.accept(steady(0, 40, 230));
        assertTrue(fired.stream().anyMatch(t -> t.kind() == AlertTransition.Kind.FIRED));
        engine.accept(List.of(new Reading(CustomerId.of("amy"), T0.plusSeconds(60), 230, Activity.NORMAL)));
        assertEquals(100_002, engine.customerCount());

        // 15 minutes on: everyone but carl has been silent for more than ten
        List<AlertTransition> swept = engine.accept(List.of(new Reading(CustomerId.of("carl"), T0.plusSeconds(900), 72,
                Activity.NORMAL)));
        assertEquals(List.of(), swept, "a quiet customer's last reading changes nothing");
        assertEquals(3, engine.customerCount(), "bob (firing), amy (pending) and carl (just sent) are kept");
        assertTrue(engine.knows(BOB));
        assertTrue(engine.knows(CustomerId.of("amy")));
        assertTrue(!engine.knows(CustomerId.of("id-7")), "a quiet customer is forgotten");
        assertEquals(1, engine.open().size(), "bob's alert is still open");
    }
}
