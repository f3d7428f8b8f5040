package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * On demand, not a test: the heap the alert engine keeps after readings from {@code --customers}
 * distinct ids (default 2,000,000), each heard from once, then after 15 minutes of event time in which
 * only one customer keeps sending. Run with a fixed heap, e.g.
 * {@code java -Xmx2g -cp ... dev.heartbeat.core.alert.AlertEngineMemoryBenchmark --customers=2000000}.
 */
public final class AlertEngineMemoryBenchmark {

    private AlertEngineMemoryBenchmark() {
    }

    public static void main(String[] args) {
        int customers = 2_000_000;
        for (String arg : args) {
            if (arg.startsWith("--customers=")) {
                customers = Integer.parseInt(arg.substring("--customers=".length()));
            }
        }
        Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
        AlertEngine engine = AlertEngine.withDefaults();
        long before = usedAfterGc();
        List<Reading> batch = new ArrayList<>(10_000);
        for (int i = 0; i < customers; i++) {
            batch.add(new Reading(CustomerId.of("cust-" + i), t0.plusMillis(i % 1000), 72, Activity.NORMAL));
            if (batch.size() == 10_000) {
                engine.accept(batch);
                batch.clear();
            }
        }
        engine.accept(batch);
        long full = usedAfterGc();
        System.out.printf(Locale.ROOT, "%,d customers heard from once: %,d held, %.1f MiB (%.0f bytes per customer)%n",
                customers, engine.customerCount(), (full - before) / 1048576.0, (full - before) / (double) customers);
        CustomerId steady = CustomerId.of("steady");
        for (int s = 1; s <= 15 * 60; s++) {
            engine.accept(List.of(new Reading(steady, t0.plusSeconds(s), 72, Activity.NORMAL)));
        }
        long after = usedAfterGc();
        System.out.printf(Locale.ROOT, "15 minutes later, one customer still sending: %,d held, %.1f MiB%n",
                engine.customerCount(), (after - before) / 1048576.0);
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
