package dev.heartbeat.app.command;

import dev.heartbeat.app.runtime.Wiring;
import dev.heartbeat.app.observability.StatusLine;
import dev.heartbeat.app.runtime.Shutdown;
import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.simulation.SimulationDriver;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;

/** Runs a started process until it is told to stop, printing its one-line status every so often. */
final class Console {

    private Console() {
    }

    /**
     * Prints a status line every {@code every} until {@code duration} passes (zero: until Ctrl-C /
     * SIGTERM) or the ingest loop dies; returns whether it ended because the loop died.
     */
    static boolean run(Wiring.Running running, Shutdown shutdown, Duration duration, Duration every, PrintWriter out,
                       Clock clock) throws InterruptedException {
        StatusLine status = new StatusLine(clock);
        long[] last = {System.nanoTime(), 0};
        boolean[] died = {false};
        shutdown.await(duration, every, () -> {
            long now = System.nanoTime();
            Duration elapsed = Duration.ofNanos(now - last[0]);
            last[0] = now;
            if (running.ingestion().isPresent()) {
                IngestCounters.Snapshot snapshot = running.ingestion().get().counters().snapshot();
                out.println(status.next(snapshot, elapsed, running.lag().isPresent() ? running.totalLag() : null));
                if (!running.ingestion().get().isAlive()) {
                    died[0] = true;
                    return false;
                }
            } else if (running.producer().isPresent()) {
                SimulationDriver driver = running.producer().get();
                long published = driver.published();
                out.println(String.format(Locale.ROOT, "%s  %,.0f published/s  published %,d  acknowledged %,d  failed %,d",
                        LocalTime.now(clock.withZone(ZoneId.systemDefault())).withNano(0), (published - last[1]) * 1e9 / elapsed.toNanos(),
                        published, driver.acknowledged(), driver.failed()));
                last[1] = published;
            }
            return true;
        });
        return died[0];
    }
}
