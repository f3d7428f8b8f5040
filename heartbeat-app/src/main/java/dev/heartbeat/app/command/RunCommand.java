package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.StatusOptions;
import dev.heartbeat.app.options.WebOptions;
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

/** Consume and serve the dashboard in one process, the dashboard fed live by the consumer. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Consume Kafka into PostgreSQL and serve the dashboard, in one process.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    DatabaseOptions database;
    @Mixin
    WebOptions web;
    @Mixin
    AlertOptions alerts;
    @Mixin
    IngestOptions ingest;

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
                .web(web.settings())
                .firstAdmin(Commands.firstAdmin(web))
                .alerting(alerting)
                .validation(Commands.validation(database))
                .build();
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Consuming %s from %s; dashboard on http://%s:%d/%n", config.kafka().get().topic(),
                    servers.kafkaBootstrap(), web.settings().bindAddress(), running.webPort().orElseThrow());
            boolean died = Console.run(running, shutdown, Duration.ZERO, statusEvery, out, clock);
            return died ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }
}
