package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.runtime.ClockCheck;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.postgres.PostgresRetention;
import dev.heartbeat.postgres.RetentionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Drops the daily partitions older than the retention and creates the coming ones (consumers do it hourly),
 * by PostgreSQL's clock; refuses (exit 1) while this machine's clock is beyond --max-clock-skew from it.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Drop whole daily partitions older than --retention and create the coming days' partitions, once.")
final class RetentionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PostgresDatabase db = Commands.connect(database)) {
            ClockCheck clock = ClockCheck.measured(db, Clock.systemUTC(), Optional.empty());
            if (clock.refusal().isPresent()) {
                spec.commandLine().getErr().println("heartbeat: retention refused, nothing dropped: " + clock.refusal().get());
                return ExitCodes.FAILED;
            }
            RetentionReport report = new PostgresRetention(db, clock.clock()).run();
            out.printf("Keeping readings from %s (retention %s).%n", report.keptFrom(), database.retention());
            out.printf("Dropped %d partitions%s%n", report.dropped().size(),
                    report.dropped().isEmpty() ? "." : ": " + String.join(", ", report.dropped()));
            out.printf("Created %d partitions%s%n", report.created().size(),
                    report.created().isEmpty() ? "." : ": " + String.join(", ", report.created()));
            out.printf("Removed %d rejects, %d batch lines and %d alerts resolved before %s.%n", report.rejectsDeleted(),
                    report.batchesDeleted(), report.alertsDeleted(), report.keptFrom());
        }
        return ExitCodes.OK;
    }
}
