package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When to raise an alert, for one side of the normal band. The condition holds while readings are
 * at least as far out as the rule's mildest level; the alert fires at the most severe level whose
 * pending period ({@code pendingFor}, Prometheus' {@code for}, a monitor's alarm delay) has been
 * held without a break, escalates when a more severe level has held for its own pending period, and
 * resolves once the condition has been false for {@code resolveAfter} (keep-firing, so it does not
 * flap).
 *
 * <p>{@code explainedBy} lists the activities during which the non-critical levels are expected and
 * raise nothing (a high heart rate during reported exercise, a low one at rest); critical levels
 * always count.
 *
 * <p>Defaults: {@code tachycardia} fires at high after 60 s (not during exercise), at critical_high
 * after 10 s; {@code bradycardia} at low after 60 s (not at rest), at critical_low after 10 s; both
 * resolve after 30 s back inside the band.
 */
public record AlertRule(String name, Map<AnomalyLevel, Duration> pendingFor, Duration resolveAfter,
                        Set<Activity> explainedBy) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    public static final Duration DEFAULT_CRITICAL_PENDING = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PENDING = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESOLVE_AFTER = Duration.ofSeconds(30);

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pendingFor, "pendingFor");
        Objects.requireNonNull(resolveAfter, "resolveAfter");
        Objects.requireNonNull(explainedBy, "explainedBy");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidValueException("an alert rule name is 1-40 of [a-z0-9_] starting with a letter, got " + name);
        }
        if (pendingFor.isEmpty() || pendingFor.containsKey(AnomalyLevel.NORMAL)) {
            throw new InvalidValueException("rule " + name + " needs at least one level, and normal is not one");
        }
        boolean above = pendingFor.keySet().iterator().next().minBpm() > AnomalyLevel.NORMAL.maxBpm();
        for (Map.Entry<AnomalyLevel, Duration> entry : pendingFor.entrySet()) {
            boolean levelAbove = entry.getKey().minBpm() > AnomalyLevel.NORMAL.maxBpm();
            if (levelAbove != above) {
                throw new InvalidValueException("rule " + name + " mixes levels above and below the normal band");
            }
            if (entry.getValue().isNegative()) {
                throw new InvalidValueException("rule " + name + ": pending period of " + entry.getKey().wireName() + " is negative");
            }
        }
        if (resolveAfter.isNegative()) {
            throw new InvalidValueException("rule " + name + ": resolveAfter is negative");
        }
        pendingFor = Collections.unmodifiableMap(new EnumMap<>(pendingFor));
        explainedBy = explainedBy.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(explainedBy));
    }

    public static AlertRule tachycardia() {
        return new AlertRule("tachycardia", Map.of(AnomalyLevel.HIGH, DEFAULT_PENDING,
                AnomalyLevel.CRITICAL_HIGH, DEFAULT_CRITICAL_PENDING), DEFAULT_RESOLVE_AFTER, Set.of(Activity.EXERCISE));
    }

    public static AlertRule bradycardia() {
        return new AlertRule("bradycardia", Map.of(AnomalyLevel.LOW, DEFAULT_PENDING,
                AnomalyLevel.CRITICAL_LOW, DEFAULT_CRITICAL_PENDING), DEFAULT_RESOLVE_AFTER, Set.of(Activity.REST));
    }

    public static List<AlertRule> defaults() {
        return List.of(tachycardia(), bradycardia());
    }

    /** Whether the rule watches readings above the normal band (else below it). */
    public boolean above() {
        return pendingFor.keySet().iterator().next().minBpm() > AnomalyLevel.NORMAL.maxBpm();
    }

    /** Whether level {@code a} lies at least as far out as level {@code b}, on this rule's side. */
    public boolean atLeast(AnomalyLevel a, AnomalyLevel b) {
        return above() ? a.minBpm() >= b.minBpm() : a.maxBpm() <= b.maxBpm();
    }

    /**
     * Whether {@code reading} counts towards {@code level}: it lies at least as far out, and, unless
     * the level is critical, its activity does not explain it.
     */
    public boolean reaches(Reading reading, AnomalyLevel level) {
        return atLeast(reading.level(), level) && (level.isCritical() || !explainedBy.contains(reading.activity()));
    }

    /** Whether the rule's condition holds for {@code reading}: it reaches at least one watched level. */
    public boolean holds(Reading reading) {
        for (AnomalyLevel watched : pendingFor.keySet()) {
            if (reaches(reading, watched)) {
                return true;
            }
        }
        return false;
    }
}
