package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;
import org.quicktheories.core.Gen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** Properties of the {@link AlertEngine} with the default rules, over generated heart-rate histories. */
class AlertEngineProperties implements WithQuickTheories {

    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");
    static final CustomerId ALICE = CustomerId.of("alice");
    static final Duration TOLERANCE = Duration.ofSeconds(1);

    /** A run of readings in one band: which band (0-5 in AnomalyLevel order), how many seconds, the activity, a seed for the values. */
    record Segment(int level, int seconds, Activity activity, long seed) {
    }

    Gen<List<Segment>> histories() {
        Gen<Segment> segment = integers().between(0, 5)
                .zip(integers().between(1, 80), arbitrary().enumValues(Activity.class), longs().all(), Segment::new);
        return lists().of(segment).ofSizeBetween(1, 25);
    }

    /** One reading per second (with a little jitter), heart rates drawn inside each segment's band. */
    static List<Reading> readings(List<Segment> history) {
        List<Reading> readings = new ArrayList<>();
        long millis = 0;
        for (Segment segment : history) {
            AnomalyLevel level = AnomalyLevel.values()[segment.level()];
            Random random = new Random(segment.seed());
            for (int i = 0; i < segment.seconds(); i++) {
                millis += 700 + random.nextInt(600);
                int bpm = level.minBpm() + random.nextInt(level.maxBpm() - level.minBpm() + 1);
                readings.add(new Reading(ALICE, START.plusMillis(millis), bpm, segment.activity()));
            }
        }
        return readings;
    }

    static List<AlertTransition> run(List<Reading> arrivals) {
        AlertEngine engine = new AlertEngine(AlertRule.defaults(), TOLERANCE);
        List<AlertTransition> transitions = new ArrayList<>();
        for (Reading reading : arrivals) {
            transitions.addAll(engine.accept(List.of(reading)));
        }
        return transitions;
    }

    @Test
    void noAlertWithoutTheConditionHoldingForThePendingPeriod() {
        qt().withExamples(300).forAll(histories()).check(history -> {
            List<Reading> readings = readings(history);
            for (AlertTransition t : run(readings)) {
                if (t.kind() == AlertTransition.Kind.RESOLVED) {
                    continue;
                }
                AlertRule rule = t.alert().rule();
                AnomalyLevel level = t.alert().severity();
                Instant runStart = unbrokenRunStart(readings, t.at(), r -> rule.reaches(r, level));
                if (runStart == null || Duration.between(runStart, t.at()).compareTo(rule.pendingFor().get(level)) < 0) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void noFlappingFasterThanTheKeepFiringPeriod() {
        qt().withExamples(300).forAll(histories()).check(history -> {
            List<Reading> readings = readings(history);
            Map<String, Instant> fired = new HashMap<>();
            for (AlertTransition t : run(readings)) {
                AlertRule rule = t.alert().rule();
                switch (t.kind()) {
                    case FIRED -> fired.put(t.alert().id(), t.at());
                    case ESCALATED -> { }
                    case RESOLVED -> {
                        Instant clearStart = unbrokenRunStart(readings, t.at(), r -> !rule.holds(r));
                        if (clearStart == null || Duration.between(clearStart, t.at()).compareTo(rule.resolveAfter()) < 0) {
                            return false;
                        }
                        if (Duration.between(fired.get(t.alert().id()), t.at()).compareTo(rule.resolveAfter()) < 0) {
                            return false;
                        }
                    }
                }
            }
            return true;
        });
    }

    @Test
    void anAlertAlwaysResolvesAfterTheConditionStops() {
        qt().withExamples(300).forAll(histories()).check(history -> {
            List<Segment> thenCalm = new ArrayList<>(history);
            thenCalm.add(new Segment(AnomalyLevel.NORMAL.ordinal(), 60, Activity.NORMAL, 1));
            AlertEngine engine = new AlertEngine(AlertRule.defaults(), TOLERANCE);
            engine.accept(readings(thenCalm));
            return engine.open().isEmpty();
        });
    }

    @Test
    void atMostOneOpenAlertPerCustomerAndRule() {
        qt().withExamples(300).forAll(histories()).check(history -> {
            Map<String, String> openByRule = new HashMap<>();
            for (AlertTransition t : run(readings(history))) {
                String rule = t.alert().rule().name();
                switch (t.kind()) {
                    case FIRED -> {
                        if (openByRule.put(rule, t.alert().id()) != null) {
                            return false;
                        }
                    }
                    case ESCALATED -> {
                        if (!t.alert().id().equals(openByRule.get(rule))) {
                            return false;
                        }
                    }
                    case RESOLVED -> {
                        if (!t.alert().id().equals(openByRule.remove(rule))) {
                            return false;
                        }
                    }
                }
            }
            return true;
        });
    }

    @Test
    void outOfOrderReadingsWithinTheToleranceChangeNothing() {
        qt().withExamples(300).forAll(histories(), longs().all()).check((history, seed) -> {
            List<Reading> inOrder = readings(history);
            Random random = new Random(seed);
            Map<Reading, Long> arrival = new HashMap<>();
            for (Reading r : inOrder) {
                long jitter = (long) (random.nextDouble() * (TOLERANCE.toMillis() - 1));
                arrival.put(r, r.recordedAt().toEpochMilli() + jitter);
            }
            List<Reading> shuffled = new ArrayList<>(inOrder);
            shuffled.sort(Comparator.comparing(arrival::get));
            return run(shuffled).equals(run(inOrder));
        });
    }

    @Test
    void replayingTheSameReadingsGivesTheSameAlerts() {
        qt().withExamples(100).forAll(histories()).check(history -> {
            List<Reading> readings = readings(history);
            AlertEngine engine = new AlertEngine(AlertRule.defaults(), TOLERANCE);
            List<AlertTransition> first = engine.accept(readings);
            List<AlertTransition> again = engine.accept(readings);
            return again.isEmpty() && first.equals(run(readings));
        });
    }

    /**
     * The start of the unbroken run of readings meeting {@code condition} that ends with the reading at
     * {@code at}, or null when that reading does not meet it.
     */
    static Instant unbrokenRunStart(List<Reading> readings, Instant at, Predicate<Reading> condition) {
        Instant start = null;
        for (Reading r : readings) {
            if (r.recordedAt().isAfter(at)) {
                break;
            }
            start = condition.test(r) ? (start == null ? r.recordedAt() : start) : null;
        }
        return start;
    }
}
