package dev.heartbeat.app.deploy;

import dev.heartbeat.app.alerting.AlertmanagerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerting configuration compose ships, checked by the tools that run it: Prometheus' rules for the
 * pipeline with {@code promtool check rules} and their unit tests with {@code promtool test rules}, the
 * Prometheus configuration's syntax, and the example Alertmanager configuration by a real Alertmanager
 * that starts on it (Debian's {@code prometheus} and {@code prometheus-alertmanager}; .ci/run installs them).
 */
class AlertingConfigTest {

    static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Runs promtool in deploy/prometheus; its output, after asserting it exited 0. */
    static String promtool(String... args) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing: install Debian's prometheus (.ci/run does)");
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", args) + ":\n" + output);
        return output;
    }

    @Test
    void thePipelineRulesAreValidAndFireOnWhatTheyAreFor() throws Exception {
        assertTrue(promtool("check", "rules", "rules.yml").contains("SUCCESS: 7 rules found"));
        assertTrue(promtool("test", "rules", "rules.test.yml").contains("SUCCESS"));
        assertTrue(promtool("check", "config", "--syntax-only", "prometheus.yml").contains("SUCCESS"));
    }

    @Test
    void theExampleAlertmanagerConfigurationRuns(@TempDir Path directory) throws Exception {
        String example = Files.readString(Path.of("..", "deploy", "alertmanager", "alertmanager.yml"));
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start(directory, example)) {
            String status = alertmanager.get("/api/v2/status");
            assertTrue(status.contains("on-call-pager") && status.contains("care-team-email"), status);
        }
    }
}
