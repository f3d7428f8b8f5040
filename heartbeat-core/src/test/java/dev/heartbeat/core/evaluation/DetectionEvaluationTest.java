package dev.heartbeat.core.evaluation;

import dev.heartbeat.core.alert.AlertRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Detection quality on a scenario small enough for CI (200 customers, 6 simulated hours); the
 * `evaluate` command runs the full one (1,000 customers, 24 hours) and docs/design.md reports it (Detection quality).
 */
class DetectionEvaluationTest {

    @Test
    void defaultRulesMeetTheDetectionTargetsAgainstGroundTruth() {
        DetectionEvaluation.Scenario scenario = new DetectionEvaluation.Scenario(200, Duration.ofHours(6),
                Duration.ofSeconds(1), 0.3, 1.0, 7);
        DetectionReport report = new DetectionEvaluation(AlertRule.defaults(), Duration.ofSeconds(1)).run(scenario);
        System.out.println(report);
        DetectionReport.RuleQuality overall = report.overall();

        assertEquals(200L * 6 * 3600, report.readings());
        assertTrue(overall.criticalEpisodes() > 50, String.valueOf(report));
        assertTrue(overall.criticalRecall() >= 0.99, String.valueOf(report));
        assertTrue(overall.precision() >= 0.95, String.valueOf(report));
        assertTrue(overall.medianTimeToDetect().compareTo(AlertRule.DEFAULT_CRITICAL_PENDING.plusSeconds(2)) <= 0,
                String.valueOf(report));
        assertTrue(report.alertReduction() >= 20, String.valueOf(report));
    }
}
