package dev.heartbeat.core.simulation;

import dev.heartbeat.core.reading.AnomalyLevel;

/**
 * The kinds of anomaly episode the simulator injects, each aiming at one band, with how often it
 * is chosen among episodes.
 */
public enum AnomalyKind {
    SEVERE_BRADYCARDIA(AnomalyLevel.CRITICAL_LOW, 31, 36, 0.3),
    BRADYCARDIA(AnomalyLevel.LOW, 43, 54, 0.2),
    TACHYCARDIA(AnomalyLevel.HIGH, 168, 192, 0.2),
    SEVERE_TACHYCARDIA(AnomalyLevel.CRITICAL_HIGH, 212, 240, 0.3);

    private final AnomalyLevel level;
    private final int minTarget;
    private final int maxTarget;
    private final double weight;

    AnomalyKind(AnomalyLevel level, int minTarget, int maxTarget, double weight) {
        this.level = level;
        this.minTarget = minTarget;
        this.maxTarget = maxTarget;
        this.weight = weight;
    }

    /** The band the episode's heart rate settles in. */
    public AnomalyLevel level() {
        return level;
    }

    int minTarget() {
        return minTarget;
    }

    int maxTarget() {
        return maxTarget;
    }

    /** The kind for a uniform draw {@code u} in [0, 1), by weight. */
    static AnomalyKind pick(double u) {
        double sum = 0;
        for (AnomalyKind kind : values()) {
            sum += kind.weight;
            if (u < sum) {
                return kind;
            }
        }
        return SEVERE_TACHYCARDIA;
    }
}
