package dev.heartbeat.app;

import picocli.CommandLine.Command;

/** The top-level command: only a holder of the subcommands. */
@Command(name = "heartbeat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time heart-rate monitoring: simulator -> Kafka -> validation and classification -> PostgreSQL -> live dashboard.",
        subcommands = {DemoCommand.class},
        footer = "%nWith no command, runs 'demo'.")
final class HeartbeatCommand {
}
