package dev.heartbeat.app.options;

import picocli.CommandLine.Option;

import java.time.Duration;

/** How often a long-running command prints its one-line status; each command gives its own default. */
public final class StatusOptions {

    @Option(names = "--status-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to print the status line (default 10s; env HEARTBEAT_STATUS_EVERY).")
    private Duration every;

    /** The interval asked for, else {@code fallback}; refused unless positive. */
    public Duration every(Duration fallback) {
        Duration chosen = every != null ? every : fallback;
        if (chosen.isZero() || chosen.isNegative()) {
            throw new ConfigurationException("--status-every must be positive, got " + chosen);
        }
        return chosen;
    }
}
