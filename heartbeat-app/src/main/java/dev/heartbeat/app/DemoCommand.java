package dev.heartbeat.app;

import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.SimulationSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs the whole pipeline with the simulator feeding it and prints a status line every second. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the simulator through the whole pipeline and print a live one-line status.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--customers", defaultValue = "${env:HEARTBEAT_CUSTOMERS:-50}",
            description = "Simulated customers (default ${DEFAULT-VALUE}; env HEARTBEAT_CUSTOMERS).")
    int customers;

    @Option(names = "--rate", defaultValue = "${env:HEARTBEAT_RATE:-0}",
            description = "Readings per second over all customers; 0 = one per customer per second (env HEARTBEAT_RATE).")
    double rate;

    @Option(names = "--seed", defaultValue = "${env:HEARTBEAT_SEED:-42}",
            description = "Simulator seed: the same seed gives the same readings (default ${DEFAULT-VALUE}; env HEARTBEAT_SEED).")
    long seed;

    @Option(names = "--duration", defaultValue = "${env:HEARTBEAT_DURATION:-0s}", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s, 5m; 0s = run until Ctrl-C (env HEARTBEAT_DURATION).")
    Duration duration;

    @Option(names = "--status-every", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often to print the status line (default ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--partitions", defaultValue = "${env:HEARTBEAT_PARTITIONS:-3}",
            description = "Partitions of the in-memory bus (default ${DEFAULT-VALUE}; env HEARTBEAT_PARTITIONS).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        SimulationSettings simulation = SimulationOptions.settings(customers, rate, Clock.systemUTC());
        if (partitions < 1 || partitions > 1000) {
            throw new ConfigurationException("--partitions must be 1-1000, got " + partitions);
        }
        if (statusEvery.isZero() || statusEvery.isNegative()) {
            throw new ConfigurationException("--status-every must be positive, got " + statusEvery);
        }
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        InMemoryPipeline pipeline = InMemoryPipeline.create(simulation, seed, partitions, Long.MAX_VALUE,
                SimulationDriver.Pace.LIVE, clock);
        out.printf("Heartbeat demo (in-memory): %d customers, %.0f readings/s, seed %d. Ctrl-C to stop.%n",
                customers, simulation.customers() * 1e9 / simulation.interval().toNanos(), seed);

        Thread ingest = Thread.ofPlatform().name("ingest").start(pipeline.loop());
        Thread simulator = Thread.ofPlatform().name("simulator").start(pipeline.driver());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            pipeline.driver().stop();
            pipeline.loop().stop();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        StatusLine status = new StatusLine(clock);
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long last = System.nanoTime();
        while (!stopped.await(Math.min(statusEvery.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            out.println(status.next(pipeline.counters().snapshot(), Duration.ofNanos(now - last), pipeline.totalLag()));
            last = now;
            if (now >= deadline) {
                break;
            }
        }
        pipeline.driver().stop();
        simulator.join(5_000);
        pipeline.loop().stop();
        ingest.join(5_000);
        if (stopped.getCount() > 0) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        var totals = pipeline.counters().snapshot();
        out.printf("Stopped. published %d, stored %d, rejected %d, duplicates %d (stored + rejected + duplicates = %d)%n",
                pipeline.driver().published(), totals.stored(), totals.rejected(), totals.duplicates(),
                totals.stored() + totals.rejected() + totals.duplicates());
        return ExitCodes.OK;
    }
}
