package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.ProbeOptions;
import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.StatusOptions;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Shutdown;
import dev.heartbeat.app.runtime.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    StatusOptions status;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        int ingestThreads = ingest.threads(database); // checked before any server is contacted
        HeartbeatConfig.Alerting alerting = Commands.alerting(alerts);
        Duration statusEvery = status.every(Commands.STATUS_EVERY);
        Infrastructure servers = Infrastructure.given(Optional.of(kafka), Optional.of(database));
        HeartbeatConfig config = HeartbeatConfig.builder()
                .kafka(Commands.kafka(kafka, servers.kafkaBootstrap()))
                .database(database.settings(servers.jdbcUrl(), "postgres"))
                .consume(ingestThreads, ingest.replaceTopic())
                .probes(Commands.probes(probes))
                .alerting(alerting)
                .validation(Commands.validation(database))
                .build();
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Consuming %s from %s into %s. Ctrl-C to stop.%n", config.kafka().get().topic(),
                    servers.kafkaBootstrap(), servers.jdbcUrl().replaceAll("\\?.*", ""));
            boolean died = Console.run(running, shutdown, Duration.ZERO, statusEvery, out, clock);
            return died ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }
}
