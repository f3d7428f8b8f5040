package dev.heartbeat.app;

import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.DurationConverter;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Kafka to PostgreSQL, exactly once; more instances in one group share the partitions. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Consume readings from Kafka into PostgreSQL exactly once, raising alerts. "
                + "Run more instances with the same --kafka-group to share the partitions.")
final class ConsumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    DatabaseOptions database;
    @Mixin
    AlertOptions alerts;
    @Mixin
    IngestOptions ingest;
    @Mixin
    ProbeOptions probes;

    @Option(names = "--status-every", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to print the status line (default ${DEFAULT-VALUE}; env HEARTBEAT_STATUS_EVERY).")
    Duration statusEvery;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        int ingestThreads = ingest.threads(database); // checked before any server is contacted
        Infrastructure servers = Infrastructure.given(Optional.of(kafka), Optional.of(database));
        HeartbeatConfig config = new HeartbeatConfig(Optional.of(Commands.kafka(kafka, servers.kafkaBootstrap())),
                Optional.of(database.settings(servers.jdbcUrl(), "postgres")), Optional.empty(), ingestThreads, Optional.empty(),
                probes.port > 0 ? Optional.of(new HeartbeatConfig.ProbeAddress(probes.bind, probes.port)) : Optional.empty(),
                alerts.rules(), alerts.webhook(), alerts.webhookTimeout(), alerts.dashboardUrl(),
                Commands.validation(database));
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Consuming %s from %s into %s. Ctrl-C to stop.%n", config.kafka().get().topic(),
                    servers.kafkaBootstrap(), servers.jdbcUrl().replaceAll("\\?.*", ""));
            boolean died = Console.run(running, shutdown, Duration.ZERO, statusEvery, out, clock);
            return died ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }
}
