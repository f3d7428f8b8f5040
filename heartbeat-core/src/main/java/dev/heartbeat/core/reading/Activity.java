package dev.heartbeat.core.reading;

import java.util.Optional;

/** What the wearer was doing, as the sensor reports it (the original system's {@code state}). */
public enum Activity {
    REST("rest"),
    NORMAL("normal"),
    EXERCISE("exercise"),
    ANOMALY("anomaly");

    private final String wireName;

    Activity(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in messages and in the database. */
    public String wireName() {
        return wireName;
    }

    /** The activity with this wire name, if any; never throws. */
    public static Optional<Activity> fromWireName(String name) {
        if (name != null) {
            for (Activity activity : values()) {
                if (activity.wireName.equals(name)) {
                    return Optional.of(activity);
                }
            }
        }
        return Optional.empty();
    }
}
