package dev.heartbeat.app.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What one {@code bench} run measured, and its "Results" section. */
record BenchReport(BenchPlan plan, Latency latency, List<Burst> bursts, Throughput cold) {

    /** Microseconds: every reading's timestamp to the start of the transaction that stored it; each batch's oldest reading to its commit. */
    record Latency(Histogram readings, Histogram batches) {
    }

    /** The backlog consumed by a consumer started cold on it: rates in readings/s, its peak heap in bytes. */
    record Throughput(double published, double consumed, double maxHeap) {
    }

    /** One ceiling and the burst right after it: rates in readings/s, the consumer's peak heap in bytes. */
    record Burst(double ceiling, double published, double whole, double sustained, double maxHeap) {

        double ratio() {
            return sustained / ceiling;
        }
    }

    BenchReport {
        bursts = List.copyOf(bursts);
    }

    double medianCeiling() {
        return median(bursts.stream().mapToDouble(Burst::ceiling).toArray());
    }

    double medianRatio() {
        return median(bursts.stream().mapToDouble(Burst::ratio).toArray());
    }

    void print(PrintWriter out) {
        double medianCeiling = medianCeiling();
        out.println();
        out.println("Results");
        for (int i = 0; i < bursts.size(); i++) {
            Burst b = bursts.get(i);
            out.printf(Locale.ROOT, "  run %d: ceiling (the burst's %,d rows in one COPY, table holding %,d) %,9.0f rows/s; warm consumer, sustained %,9.0f readings/s"
                            + " = %.2f x ceiling (whole burst %,.0f/s, published at %,.0f/s)%n",
                    i + 1, plan.readings(), i * (long) plan.readings(), b.ceiling, b.sustained, b.ratio(), b.whole, b.published);
        }
        out.printf(Locale.ROOT, "  end to end, sustained, warm -Xmx%s consumer at full speed: median %.2f x ceiling (median ceiling %,.0f rows/s)%n",
                plan.consumerHeap(), medianRatio(), medianCeiling);
        out.printf(Locale.ROOT, "  end to end, cold consumer started on a backlog (JIT warm-up included) %,9.0f readings/s = %.2f x median ceiling%n",
                cold.consumed, cold.consumed / medianCeiling);
        out.printf(Locale.ROOT, "  consumer heap used, at most: warm %,.0f MiB, cold %,.0f MiB of %s%n",
                bursts.stream().mapToDouble(Burst::maxHeap).max().orElse(0) / 1048576.0, cold.maxHeap / 1048576.0, plan.consumerHeap());
        out.printf(Locale.ROOT, "  latency at a steady %,d readings/s, every reading (timestamp to its storing transaction)%n"
                        + "                                                               p50 %,d ms, p99 %,d ms, max %,d ms (%,d readings)%n",
                plan.steadyRate(), latency.readings.getValueAtPercentile(50) / 1000, latency.readings.getValueAtPercentile(99) / 1000,
                latency.readings.getMaxValue() / 1000, latency.readings.getTotalCount());
        out.printf(Locale.ROOT, "  the same, each batch's oldest reading to its commit          p50 %,d ms, p99 %,d ms, max %,d ms (%,d batches)%n",
                latency.batches.getValueAtPercentile(50) / 1000, latency.batches.getValueAtPercentile(99) / 1000,
                latency.batches.getMaxValue() / 1000, latency.batches.getTotalCount());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
