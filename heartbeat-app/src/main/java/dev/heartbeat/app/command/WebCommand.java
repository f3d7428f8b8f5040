package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.runtime.Wiring;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.WebOptions;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** The dashboard over PostgreSQL (and Kafka, when given, for consumer lag). */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Serve the live dashboard, its API, /metrics and /health over PostgreSQL. "
                + "With --kafka-bootstrap it also shows consumer lag.")
final class WebCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions database;
    @Mixin
    WebOptions web;
    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        Infrastructure servers = Infrastructure.given(kafka.bootstrap().map(b -> kafka), Optional.of(database));
        HeartbeatConfig config = HeartbeatConfig.builder()
                .kafka(kafka.bootstrap().map(bootstrap -> Commands.kafka(kafka, bootstrap)))
                .database(database.settings(servers.jdbcUrl(), "postgres"))
                .web(web.settings())
                .firstAdmin(Commands.firstAdmin(web))
                .validation(Commands.validation(database))
                .build();
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Dashboard on http://%s:%d/%n", web.settings().bindAddress(), running.webPort().orElseThrow());
            Console.run(running, shutdown, Duration.ZERO, Duration.ofMinutes(1), out, clock);
        }
        return ExitCodes.OK;
    }
}
