package dev.heartbeat.core.reading;

import dev.heartbeat.core.InvalidValueException;

import java.util.Optional;

/**
 * The six clinical bands a heart rate falls in, with the original system's thresholds and its own
 * boundary handling (bradycardia below 60, tachycardia above 100):
 *
 * <pre>
 * critical_low   30-39   Severe Bradycardia
 * low            40-59   Bradycardia
 * normal         60-100  Normal
 * elevated      101-160  Elevated (Exercise/Stress)
 * high          161-200  Tachycardia
 * critical_high 201-250  Severe Tachycardia
 * </pre>
 *
 * {@link #classify(int)} is the classifier: total over {@value Reading#MIN_HEART_RATE}-{@value
 * Reading#MAX_HEART_RATE} bpm, exactly one band for each value.
 */
public enum AnomalyLevel {
    CRITICAL_LOW("critical_low", "Severe Bradycardia", Reading.MIN_HEART_RATE, 39, 3),
    LOW("low", "Bradycardia", 40, 59, 2),
    NORMAL("normal", "Normal", 60, 100, 0),
    ELEVATED("elevated", "Elevated (Exercise/Stress)", 101, 160, 1),
    HIGH("high", "Tachycardia", 161, 200, 2),
    CRITICAL_HIGH("critical_high", "Severe Tachycardia", 201, Reading.MAX_HEART_RATE, 3);

    private final String wireName;
    private final String description;
    private final int minBpm;
    private final int maxBpm;
    private final int severity;

    AnomalyLevel(String wireName, String description, int minBpm, int maxBpm, int severity) {
        this.wireName = wireName;
        this.description = description;
        this.minBpm = minBpm;
        this.maxBpm = maxBpm;
        this.severity = severity;
    }

    /** The band {@code bpm} falls in. */
    public static AnomalyLevel classify(int bpm) {
        if (bpm < Reading.MIN_HEART_RATE || bpm > Reading.MAX_HEART_RATE) {
            throw new InvalidValueException("heart rate " + bpm + " is outside "
                    + Reading.MIN_HEART_RATE + "-" + Reading.MAX_HEART_RATE + " bpm");
        }
        if (bpm < 40) {
            return CRITICAL_LOW;
        } else if (bpm < 60) {
            return LOW;
        } else if (bpm <= 100) {
            return NORMAL;
        } else if (bpm <= 160) {
            return ELEVATED;
        } else if (bpm <= 200) {
            return HIGH;
        }
        return CRITICAL_HIGH;
    }

    /** The level with this wire name ({@code critical_low}, ...), if any; never throws. */
    public static Optional<AnomalyLevel> fromWireName(String name) {
        if (name != null) {
            for (AnomalyLevel level : values()) {
                if (level.wireName.equals(name)) {
                    return Optional.of(level);
                }
            }
        }
        return Optional.empty();
    }

    /** The name used in the database ({@code anomaly_level}), the API and metrics. */
    public String wireName() {
        return wireName;
    }

    /** The human description (the original system's {@code anomaly_description}). */
    public String description() {
        return description;
    }

    /** Lowest heart rate in the band, inclusive. */
    public int minBpm() {
        return minBpm;
    }

    /** Highest heart rate in the band, inclusive. */
    public int maxBpm() {
        return maxBpm;
    }

    /**
     * How far from normal the band is: 0 normal, 1 elevated, 2 low or high, 3 critical. It never
     * decreases moving away from the normal band in either direction.
     */
    public int severity() {
        return severity;
    }

    /** How many bpm {@code heartRate} lies outside the normal band (0 inside it). */
    public static int distanceFromNormal(int heartRate) {
        if (heartRate < NORMAL.minBpm) {
            return NORMAL.minBpm - heartRate;
        }
        return Math.max(0, heartRate - NORMAL.maxBpm);
    }

    public boolean isCritical() {
        return this == CRITICAL_LOW || this == CRITICAL_HIGH;
    }
}
