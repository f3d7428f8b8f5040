package dev.heartbeat.app;

import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.SimulatorOptions;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Shutdown;
import dev.heartbeat.app.options.DurationConverter;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.validation.ValidationPolicy;
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

    @Option(names = "--status-every", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to print the status line (default ${DEFAULT-VALUE}; env HEARTBEAT_STATUS_EVERY).")
    Duration statusEvery;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        Infrastructure servers = Infrastructure.given(Optional.of(kafka), Optional.empty());
        HeartbeatConfig config = new HeartbeatConfig(Optional.of(Commands.kafka(kafka, servers.kafkaBootstrap())),
                Optional.empty(),
                Optional.of(new HeartbeatConfig.Simulation(simulator.settings(clock), simulator.seed(), false, Long.MAX_VALUE)),
                0, Optional.empty(),
                probes.port > 0 ? Optional.of(new HeartbeatConfig.ProbeAddress(probes.bind, probes.port)) : Optional.empty(),
                AlertRule.defaults(), Optional.empty(), Duration.ofSeconds(5), Optional.empty(), ValidationPolicy.defaults());
        try (Shutdown shutdown = new Shutdown(); Wiring.Running running = Wiring.start(config, clock)) {
            out.printf("Publishing %d customers to %s (topic %s). Ctrl-C to stop.%n", simulator.customers(),
                    servers.kafkaBootstrap(), config.kafka().get().topic());
            Console.run(running, shutdown, simulator.duration(), statusEvery, out, clock);
        }
        return ExitCodes.OK;
    }
}
