package dev.heartbeat.app.command;

import dev.heartbeat.app.Main;
import dev.heartbeat.app.bench.BenchPlan;
import dev.heartbeat.app.bench.PipelineBench;
import dev.heartbeat.app.bench.ProgressBar;
import dev.heartbeat.app.options.DurationConverter;
import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.options.IngestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code bench}: the options of a {@link PipelineBench} run, in a temporary directory deleted after it. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole pipeline on embedded servers: ingest ceiling, latency at a steady rate, "
                + "and sustained throughput of a consumer with a capped heap.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--readings", defaultValue = "1000000", description = "Readings in each ceiling, burst and the backlog (default ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--customers", defaultValue = "10000", description = "Customers in the bursts and the backlog (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--steady-rate", defaultValue = "5000", description = "Readings per second in the latency phase (default ${DEFAULT-VALUE}).")
    int steadyRate;

    @Option(names = "--steady-duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Length of the latency phase (default ${DEFAULT-VALUE}).")
    Duration steadyDuration;

    @Option(names = "--steady-warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Steady rate before the latency phase, not measured: the consumer's JIT and the servers warm up (default ${DEFAULT-VALUE}).")
    Duration steadyWarmup;

    @Option(names = "--consumer-heap", defaultValue = "256m", description = "-Xmx of the consumer process (default ${DEFAULT-VALUE}).")
    String consumerHeap;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Ceiling and burst measured this many times, interleaved; the ratio is their median (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
        BenchPlan plan = new BenchPlan(readings, customers, partitions, steadyRate, steadyDuration, steadyWarmup, repeats,
                consumerHeap, ingest.threads());
        PrintWriter out = spec.commandLine().getOut();
        plan.printHeader(out);
        Path dir = Files.createTempDirectory("heartbeat-bench");
        try {
            new PipelineBench(plan, Main.class, out, new ProgressBar(out, ProgressBar.onTerminal())).run(dir);
        } finally {
            deleteRecursively(dir); // a few GB of broker log and database per run
        }
        return ExitCodes.OK;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
