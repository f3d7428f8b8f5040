package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** One rule's view of one customer: the unbroken runs per level, and the open alert, if any. */
final class RuleTracker {

    private final AlertRule rule;
    /** For each watched level, the first reading of the current unbroken run of readings reaching it. */
    private final Map<AnomalyLevel, Reading> runs = new EnumMap<>(AnomalyLevel.class);
    private Reading conditionStart;
    private Reading extreme;
    private Alert firing;
    private Instant clearSince;

    RuleTracker(AlertRule rule) {
        this.rule = rule;
    }

    /** Takes an open alert restored from the store. */
    void restore(Alert open) {
        this.firing = open;
        this.clearSince = null;
    }

    Optional<Alert> open() {
        return Optional.ofNullable(firing);
    }

    /** The reading in order; the transition it causes, if any. */
    AlertTransition accept(Reading reading) {
        boolean holds = rule.holds(reading);
        for (AnomalyLevel watched : rule.pendingFor().keySet()) {
            if (rule.reaches(reading, watched)) {
                runs.putIfAbsent(watched, reading);
            } else {
                runs.remove(watched);
            }
        }
        if (holds) {
            if (conditionStart == null) {
                conditionStart = reading;
                extreme = reading;
            } else if (isMoreExtreme(reading, extreme)) {
                extreme = reading;
            }
        } else {
            conditionStart = null;
            extreme = null;
        }
        return firing == null ? maybeFire(reading) : whileFiring(reading, holds);
    }

    private AlertTransition maybeFire(Reading reading) {
        AnomalyLevel due = dueLevel(reading.recordedAt());
        if (due == null) {
            return null;
        }
        firing = new Alert(Alert.idOf(rule, conditionStart), reading.customerId(), rule, due, AlertState.FIRING,
                conditionStart, reading, extreme, reading.recordedAt(), Optional.empty());
        clearSince = null;
        return new AlertTransition(AlertTransition.Kind.FIRED, firing, reading.recordedAt());
    }

    private AlertTransition whileFiring(Reading reading, boolean holds) {
        if (holds) {
            clearSince = null;
            Reading peak = isMoreExtreme(reading, firing.peak()) ? reading : firing.peak();
            AnomalyLevel due = dueLevel(reading.recordedAt());
            boolean escalates = due != null && isMoreSevere(due, firing.severity());
            firing = new Alert(firing.id(), firing.customer(), rule, escalates ? due : firing.severity(),
                    AlertState.FIRING, firing.firstTriggering(), reading, peak, firing.firedAt(), Optional.empty());
            return escalates ? new AlertTransition(AlertTransition.Kind.ESCALATED, firing, reading.recordedAt()) : null;
        }
        if (clearSince == null) {
            clearSince = reading.recordedAt();
        }
        if (Duration.between(clearSince, reading.recordedAt()).compareTo(rule.resolveAfter()) < 0) {
            return null;
        }
        Alert resolved = new Alert(firing.id(), firing.customer(), rule, firing.severity(), AlertState.RESOLVED,
                firing.firstTriggering(), firing.lastTriggering(), firing.peak(), firing.firedAt(),
                Optional.of(reading.recordedAt()));
        firing = null;
        clearSince = null;
        return new AlertTransition(AlertTransition.Kind.RESOLVED, resolved, reading.recordedAt());
    }

    /** The most severe watched level whose run has lasted its pending period by {@code now}, or null. */
    private AnomalyLevel dueLevel(Instant now) {
        AnomalyLevel due = null;
        for (Map.Entry<AnomalyLevel, Reading> run : runs.entrySet()) {
            Duration held = Duration.between(run.getValue().recordedAt(), now);
            if (held.compareTo(rule.pendingFor().get(run.getKey())) >= 0
                    && (due == null || isMoreSevere(run.getKey(), due))) {
                due = run.getKey();
            }
        }
        return due;
    }

    private boolean isMoreSevere(AnomalyLevel a, AnomalyLevel b) {
        return rule.atLeast(a, b) && a != b;
    }

    private boolean isMoreExtreme(Reading a, Reading b) {
        return rule.above() ? a.heartRate() > b.heartRate() : a.heartRate() < b.heartRate();
    }
}
