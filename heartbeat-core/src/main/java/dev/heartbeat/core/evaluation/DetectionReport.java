package dev.heartbeat.core.evaluation;

import java.time.Duration;
import java.util.List;

/**
 * How well alerting found the anomaly episodes a scenario injected, per rule and overall, beside
 * the original approach (every out-of-band reading is an alert).
 *
 * @param customerDays        simulated customer-days
 * @param calmCustomerDays    customer-days of customers without any anomaly episode
 * @param rules               one row per rule, then the overall row (named {@code overall})
 * @param alertsPerCalmCustomerDay   alerts raised for customers without episodes, per customer-day
 * @param baselineFlagsPerCalmCustomerDay  out-of-band readings of those customers, per customer-day
 * @param baselinePrecision   share of out-of-band readings that lie inside an episode
 */
public record DetectionReport(long readings, double customerDays, double calmCustomerDays, List<RuleQuality> rules,
                              double alertsPerCalmCustomerDay, double baselineFlagsPerCalmCustomerDay,
                              double baselinePrecision) {

    public DetectionReport {
        rules = List.copyOf(rules);
    }

    /**
     * One rule's quality: alerts raised and how many matched a true episode (precision); episodes on
     * the rule's side and how many an alert caught (recall); critical episodes whose critical phase
     * lasted longer than the critical pending period, how many were caught at critical severity, and
     * the time to detect them, from the episode's first critical reading to the critical alert.
     */
    public record RuleQuality(String rule, long alerts, long matchedAlerts, long episodes, long detectedEpisodes,
                              long criticalEpisodes, long detectedCritical, Duration medianTimeToDetect,
                              Duration p95TimeToDetect) {

        public double precision() {
            return alerts == 0 ? 1.0 : (double) matchedAlerts / alerts;
        }

        public double recall() {
            return episodes == 0 ? 1.0 : (double) detectedEpisodes / episodes;
        }

        public double criticalRecall() {
            return criticalEpisodes == 0 ? 1.0 : (double) detectedCritical / criticalEpisodes;
        }
    }

    /** The overall row. */
    public RuleQuality overall() {
        return rules.getLast();
    }

    /** How many times fewer alerts than out-of-band readings customers without episodes get. */
    public double alertReduction() {
        return alertsPerCalmCustomerDay == 0 ? Double.POSITIVE_INFINITY : baselineFlagsPerCalmCustomerDay / alertsPerCalmCustomerDay;
    }
}
