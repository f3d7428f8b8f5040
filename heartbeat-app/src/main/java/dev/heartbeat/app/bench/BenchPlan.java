package dev.heartbeat.app.bench;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.core.simulation.SimulationSettings;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What one {@code bench} run measures: {@code readings} from {@code customers} in each ceiling, burst
 * and the backlog, on a topic of {@code partitions}; a steady phase of {@code steadyRate} a second for
 * {@code steadyDuration} after {@code steadyWarmup}; {@code repeats} ceilings and bursts; the consumer
 * process at {@code -Xmx consumerHeap} with {@code ingestThreads}.
 */
public record BenchPlan(int readings, int customers, int partitions, int steadyRate, Duration steadyDuration,
                        Duration steadyWarmup, int repeats, String consumerHeap, int ingestThreads) {

    public BenchPlan {
        if (readings < 1000 || customers < 1 || steadyRate < 1 || repeats < 1 || steadyWarmup.isNegative()
                || customers > SimulationSettings.MAX_CUSTOMERS || steadyRate > SimulationSettings.MAX_CUSTOMERS) {
            throw new ConfigurationException("--readings must be >= 1000, --repeats >= 1, --customers and --steady-rate 1-"
                    + SimulationSettings.MAX_CUSTOMERS + ", --steady-warmup >= 0");
        }
        long seconds = secondsPerSpan(readings, customers);
        if (seconds * (repeats + 1) > Duration.ofHours(12).toSeconds()) {
            // the bursts (and the ceilings' copies of them) and the backlog lie one after another in the past:
            // more than half a day of readings per customer would outrun the partitions made ahead
            throw new ConfigurationException("--readings / --customers gives " + seconds + " readings per customer, "
                    + "which over " + repeats + " bursts and the backlog span more than 12 h at one a second: "
                    + "use more --customers or fewer --readings");
        }
    }

    /** The time span of one burst (or the backlog): each customer's share of the readings, one a second. */
    Duration span() {
        return SimulationSettings.DEFAULT_INTERVAL.multipliedBy(secondsPerSpan(readings, customers));
    }

    /** The run's first line. */
    public void printHeader(PrintWriter out) {
        out.printf(Locale.ROOT, "Heartbeat bench: %,d readings from %,d customers, %d partitions; steady %,d/s for %s after %s;"
                        + " %d x ceiling + burst; consumer -Xmx%s, %d ingest threads; %d cores%n",
                readings, customers, partitions, steadyRate, steadyDuration, steadyWarmup, repeats, consumerHeap, ingestThreads,
                Runtime.getRuntime().availableProcessors());
    }

    private static long secondsPerSpan(int readings, int customers) {
        return (readings + (long) customers - 1) / customers;
    }
}
