package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.runtime.Wiring;
import dev.heartbeat.app.options.ProbeOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.SimulatorOptions;
import dev.heartbeat.app.options.StatusOptions;
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

/** Simulator to Kafka. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Publish simulated readings to Kafka (creating the topic if it is missing).")
final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    SimulatorOptions simulator;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    ProbeOptions probes;

    @Mixin
    StatusOptions status;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        Duration statusEvery = status.every(Commands.STATUS_EVERY);
        Infrastructure servers = Infrastructure.given(Optional.of(kafka), Optional.empty());
        HeartbeatConfig config = HeartbeatConfig.builder()
                .kafka(Commands.kafka(kafka, servers.kafkaBootstrap()))
                .produce(new HeartbeatConfig.Simulation(simulator.settings(clock), simulator.seed(), false, Long.MAX_VALUE))
                .probes(Commands.probes(probes))
                .build();
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Publishing %d customers to %s (topic %s). Ctrl-C to stop.%n", simulator.customers(),
                    servers.kafkaBootstrap(), config.kafka().get().topic());
            Console.run(running, shutdown, simulator.duration(), statusEvery, out, clock);
        }
        return ExitCodes.OK;
    }
}
