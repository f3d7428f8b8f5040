package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One rule's view of one customer: the unbroken runs per level, and the open alert, if any. It runs
 * for every reading of every customer, so the rule's levels are unpacked into arrays once.
 */
final class RuleTracker {

    private final AlertRule rule;
    private final boolean above;
    private final AnomalyLevel[] watched;
    private final Duration[] pendingFor;
    private final Set<Activity> explainedBy;
    /** For each watched level, the first reading of the current unbroken run of readings reaching it. */
    private final Reading[] runs;
    private Reading conditionStart;
    private Reading extreme;
    private Alert firing;
    private Instant clearSince;
    /** The first reading of the current run of readings that do not meet the condition (null while it holds). */
    private Reading clearFrom;


    RuleTracker(AlertRule rule) {
        this.rule = rule;
        this.above = rule.above();
        this.watched = rule.pendingFor().keySet().toArray(AnomalyLevel[]::new);
        this.pendingFor = new Duration[watched.length];
        for (int i = 0; i < watched.length; i++) {
            pendingFor[i] = rule.pendingFor().get(watched[i]);
        }
        this.explainedBy = rule.explainedBy();
        this.runs = new Reading[watched.length];
    }

    AlertRule rule() {
        return rule;
    }

    /** Takes an open alert restored from the store. */
    void restore(Alert open) {
        this.firing = open;
        this.clearSince = null;
    }

    /**
     * After stored readings were replayed into this tracker: takes the open alert the store holds. When
     * the replay rebuilt that very alert it is kept as the replay left it; otherwise (the replay began
     * after the episode did) the stored one is taken over, with the runs and the resolve countdown the
     * replay rebuilt, and the latest and most extreme of the {@code replayed} readings that met the
     * condition after the stored alert's last transition (the store learns of those only with the next).
     */
    void adopt(Alert open, List<Reading> replayed) {
        if (firing != null && firing.id().equals(open.id())) {
            return;
        }
        // while it fired, every reading meeting the condition moved its last reading and maybe its peak on
        Reading last = open.lastTriggering();
        Reading peak = open.peak();
        for (Reading reading : replayed) {
            if (reading.recordedAt().isAfter(open.lastTriggering().recordedAt()) && holdsCondition(reading)) {
                last = reading;
                peak = isMoreExtreme(reading, peak) ? reading : peak;
            }
        }
        this.firing = new Alert(open.id(), open.customer(), open.rule(), open.severity(), AlertState.FIRING,
                open.firstTriggering(), last, peak, open.firedAt(), Optional.empty());
        this.clearSince = clearFrom == null ? null : clearFrom.recordedAt();
    }

    /** Whether {@code reading} reaches at least one watched level ({@link AlertRule#holds}). */
    private boolean holdsCondition(Reading reading) {
        for (AnomalyLevel level : watched) {
            if (reaches(reading, level)) {
                return true;
            }
        }
        return false;
    }

    Optional<Alert> open() {
        return Optional.ofNullable(firing);
    }

    /** Nothing firing and no condition holding: the state of a tracker that has seen no reading. */
    boolean isQuiet() {
        return firing == null && conditionStart == null;
    }

    /** The reading in order; the transition it causes, if any. */
    AlertTransition accept(Reading reading) {
        // the rule's condition holds when the reading reaches at least one watched level (AlertRule.holds)
        boolean holds = false;
        for (int i = 0; i < watched.length; i++) {
            if (reaches(reading, watched[i])) {
                holds = true;
                if (runs[i] == null) {
                    runs[i] = reading;
                }
            } else {
                runs[i] = null;
            }
        }
        clearFrom = holds ? null : clearFrom == null ? reading : clearFrom;
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
        for (int i = 0; i < watched.length; i++) {
            if (runs[i] != null && Duration.between(runs[i].recordedAt(), now).compareTo(pendingFor[i]) >= 0
                    && (due == null || isMoreSevere(watched[i], due))) {
                due = watched[i];
            }
        }
        return due;
    }

    /** {@link AlertRule#reaches}, without looking the rule's side up again. */
    private boolean reaches(Reading reading, AnomalyLevel level) {
        return atLeast(reading.level(), level) && (level.isCritical() || !explainedBy.contains(reading.activity()));
    }

    /** {@link AlertRule#atLeast}, without looking the rule's side up again. */
    private boolean atLeast(AnomalyLevel a, AnomalyLevel b) {
        return above ? a.minBpm() >= b.minBpm() : a.maxBpm() <= b.maxBpm();
    }

    private boolean isMoreSevere(AnomalyLevel a, AnomalyLevel b) {
        return atLeast(a, b) && a != b;
    }

    private boolean isMoreExtreme(Reading a, Reading b) {
        return above ? a.heartRate() > b.heartRate() : a.heartRate() < b.heartRate();
    }
}
