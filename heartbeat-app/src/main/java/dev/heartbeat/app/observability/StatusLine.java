package dev.heartbeat.app.observability;

import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.reading.AnomalyLevel;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The console's one-line status: what the pipeline did since the last line (readings per second)
 * and in all (stored, rejects, duplicates, readings per band).
 */
public final class StatusLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Clock clock;
    private IngestCounters.Snapshot previous;

    public StatusLine(Clock clock) {
        this.clock = clock;
    }

    /** The line for {@code now}, {@code elapsed} after the previous one; {@code lag} may be null when unknown. */
    public String next(IngestCounters.Snapshot now, Duration elapsed, Long lag) {
        long since = previous == null ? now.messages() : now.messages() - previous.messages();
        previous = now;
        double perSecond = elapsed.isZero() ? 0 : since * 1000.0 / elapsed.toMillis();
        StringBuilder line = new StringBuilder(160);
        line.append(LocalTime.now(clock.withZone(ZoneId.systemDefault())).truncatedTo(ChronoUnit.SECONDS).format(TIME))
                .append(String.format(Locale.ROOT, "  %,.0f readings/s", perSecond));
        if (lag != null) {
            line.append(String.format(Locale.ROOT, "  lag %,d", lag));
        }
        line.append(String.format(Locale.ROOT, "  stored %,d  rejected %,d  duplicates %,d  |",
                now.stored(), now.rejected(), now.duplicates()));
        for (AnomalyLevel level : AnomalyLevel.values()) {
            line.append(String.format(Locale.ROOT, " %s %,d", level.wireName(), now.byLevel().getOrDefault(level, 0L)));
        }
        return line.toString();
    }
}
