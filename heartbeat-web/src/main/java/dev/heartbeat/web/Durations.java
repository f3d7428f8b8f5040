package dev.heartbeat.web;

import java.time.Duration;

/** Durations written the way the API reads them ({@code 90s}, {@code 15m}, {@code 6h}, {@code 7d}). */
final class Durations {

    private Durations() {
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
