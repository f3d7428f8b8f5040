package dev.heartbeat.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Heartbeat writes durations, on the command line, in the environment and in the API:
 * a whole number and a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}), or
 * ISO-8601 ({@code PT30S}); never negative.
 */
public final class Durations {

    /** How the grammar is described in error messages. */
    public static final String EXAMPLES = "500ms, 30s, 5m, 2h or 7d";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /** The duration {@code text} writes, or empty when it is not one (or is negative). */
    public static Optional<Duration> parse(String text) {
        String trimmed = text.strip();
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        if (trimmed.length() > 40 || !(trimmed.startsWith("P") || trimmed.startsWith("p"))) {
            return Optional.empty();
        }
        try {
            Duration parsed = Duration.parse(trimmed);
            return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code duration} in the largest unit that writes it whole: {@code 7d}, {@code 6h}, {@code 90s}, {@code 500ms}. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new InvalidValueException("durations are never negative, got " + duration);
        }
        long millis = duration.toMillis();
        if (millis % 1_000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1_000;
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
