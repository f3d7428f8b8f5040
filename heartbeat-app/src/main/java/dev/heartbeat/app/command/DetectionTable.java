package dev.heartbeat.app.command;

import dev.heartbeat.core.evaluation.DetectionReport;

import java.util.Locale;

/** A {@link DetectionReport} as the Markdown table {@code evaluate} prints and the docs show. */
final class DetectionTable {

    private DetectionTable() {
    }

    static String of(DetectionReport report) {
        StringBuilder out = new StringBuilder();
        out.append("| rule | alerts | precision | episodes | recall | critical episodes > pending | critical recall | median time to detect | p95 time to detect |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (DetectionReport.RuleQuality q : report.rules()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %d | %.3f | %d | %.3f | %.1f s | %.1f s |%n",
                    q.rule(), q.alerts(), q.precision(), q.episodes(), q.recall(), q.criticalEpisodes(),
                    q.criticalRecall(), q.medianTimeToDetect().toMillis() / 1000.0, q.p95TimeToDetect().toMillis() / 1000.0));
        }
        out.append(String.format(Locale.ROOT, "| original: every out-of-band reading | %,d (customers without episodes) | %.3f | | | | | | |%n",
                Math.round(report.baselineFlagsPerCalmCustomerDay() * report.calmCustomerDays()), report.baselinePrecision()));
        String reduction = Double.isInfinite(report.alertReduction()) ? "Heartbeat raised none"
                : String.format(Locale.ROOT, "%.0fx fewer with Heartbeat", report.alertReduction());
        out.append(String.format(Locale.ROOT, "%nCustomers without any episode: %.3f alerts per customer-day with Heartbeat, "
                        + "%,.0f flagged readings per customer-day with the original approach (%s). %,d readings, %.0f customer-days.%n",
                report.alertsPerCalmCustomerDay(), report.baselineFlagsPerCalmCustomerDay(), reduction, report.readings(),
                report.customerDays()));
        return out.toString();
    }
}
