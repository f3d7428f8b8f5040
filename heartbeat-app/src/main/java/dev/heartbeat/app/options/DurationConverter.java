package dev.heartbeat.app.options;

import dev.heartbeat.core.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads an option's duration in the one grammar of {@link Durations}: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, {@code PT30S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration (never negative); write e.g. " + Durations.EXAMPLES));
    }
}
