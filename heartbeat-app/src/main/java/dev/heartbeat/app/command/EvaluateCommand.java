package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DurationConverter;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.evaluation.DetectionEvaluation;
import dev.heartbeat.core.evaluation.DetectionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Measures alerting against the simulator's ground truth, faster than real time. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run a simulated scenario through the real alert engine and report precision, recall and time to "
                + "detect against the simulator's ground truth, beside the original per-reading flagging.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    AlertOptions alerts;

    @Option(names = "--customers", defaultValue = "1000", description = "Customers (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--hours", defaultValue = "24", description = "Simulated hours (default ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--prone-share", defaultValue = "0.3",
            description = "Share of customers that have anomaly episodes; the others never do (default ${DEFAULT-VALUE}).")
    double proneShare;

    @Option(names = "--anomalies-per-hour", defaultValue = "1.0",
            description = "Episodes per prone customer-hour (default ${DEFAULT-VALUE}).")
    double anomaliesPerHour;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Time between a customer's readings (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        DetectionEvaluation.Scenario scenario;
        try {
            if (hours < 1 || hours > 24 * 30) {
                throw new InvalidValueException("--hours must be 1-720, got " + hours);
            }
            scenario = new DetectionEvaluation.Scenario(customers, Duration.ofHours(hours), interval, proneShare,
                    anomaliesPerHour, seed);
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Evaluating %d customers over %d simulated hours (%.0f%% prone, %.1f episodes per prone customer-hour, seed %d)...%n",
                customers, hours, proneShare * 100, anomaliesPerHour, seed);
        long started = System.nanoTime();
        DetectionReport report = new DetectionEvaluation(alerts.rules(), Duration.ofSeconds(1)).run(scenario);
        out.println();
        out.print(DetectionTable.of(report));
        out.printf(Locale.ROOT, "Took %.1f s.%n", (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }
}
