package dev.heartbeat.app.command;

import dev.heartbeat.app.observability.LogFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command: only a holder of the subcommands. */
@Command(name = "heartbeat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time heart-rate monitoring: simulator -> Kafka -> validation and classification -> PostgreSQL -> live dashboard.",
        subcommands = {DemoCommand.class, ProduceCommand.class, ConsumeCommand.class, WebCommand.class, RunCommand.class,
                MigrateCommand.class, SetupDatabaseCommand.class, UsersCommand.class, AuditCommand.class, RetentionCommand.class, EvaluateCommand.class, BenchCommand.class},
        footer = "%nWith no command, runs 'demo'.")
public final class HeartbeatCommand {

    @Spec
    CommandSpec spec;

    /** Read by {@link LogFormat} before logging starts; declared here so every command accepts and documents it. */
    @Option(names = LogFormat.OPTION, defaultValue = "text", scope = ScopeType.INHERIT,
            description = "text (default) or json: one JSON object per log line (env HEARTBEAT_LOG_FORMAT).")
    void logFormat(String format) {
        if (!format.equalsIgnoreCase("text") && !format.equalsIgnoreCase("json")) {
            throw new ParameterException(spec.commandLine(),
                    "--log-format must be text or json, got " + format);
        }
    }
}
