package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.options.AlertOptions;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.EmbeddedOptions;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.app.options.KafkaOptions;
import dev.heartbeat.app.options.SimulatorOptions;
import dev.heartbeat.app.options.StatusOptions;
import dev.heartbeat.app.options.WebOptions;
import dev.heartbeat.app.runtime.FirstAdmin;
import dev.heartbeat.app.runtime.HeartbeatConfig;
import dev.heartbeat.app.runtime.Infrastructure;
import dev.heartbeat.app.runtime.Shutdown;
import dev.heartbeat.app.runtime.Wiring;
import dev.heartbeat.app.observability.StatusLine;
import dev.heartbeat.core.memory.InMemoryPipeline;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The whole system in one process: an embedded Kafka broker and PostgreSQL server (unless real ones
 * are given), the simulator, the consumer and the dashboard. {@code --in-memory} runs the same
 * pipeline on in-memory adapters instead, with no server at all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole system in one process: embedded Kafka and PostgreSQL (kept under --data-dir), "
                + "the simulator, the consumer and the dashboard. The default command.")
final class DemoCommand implements Callable<Integer> {

    private static final Duration IN_MEMORY_STATUS_EVERY = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;
    @Mixin
    SimulatorOptions simulator;
    @Mixin
    EmbeddedOptions embedded;
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

    @Option(names = "--in-memory",
            description = "Run on in-memory adapters (no Kafka, no PostgreSQL, no dashboard): a live summary line only, "
                    + "every second unless --status-every says otherwise (env HEARTBEAT_IN_MEMORY).")
    boolean inMemory;

    @Mixin
    StatusOptions status;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SimulationSettings simulation = simulator.settings(clock);
        int ingestThreads = ingest.threads(database); // checked before the embedded servers start
        HeartbeatConfig.Alerting alerting = Commands.alerting(alerts);
        Duration every = status.every(inMemory ? IN_MEMORY_STATUS_EVERY : Commands.STATUS_EVERY);
        if (kafka.partitions() < 1 || kafka.partitions() > 1000) {
            throw new ConfigurationException("--kafka-partitions must be 1-1000, got " + kafka.partitions());
        }
        return inMemory ? inMemory(simulation, every, clock) : embedded(simulation, ingestThreads, alerting, every, clock);
    }

    private int embedded(SimulationSettings simulation, int ingestThreads, HeartbeatConfig.Alerting alerting, Duration every,
                         Clock clock) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        try (Shutdown shutdown = new Shutdown();
             Infrastructure servers = Infrastructure.givenOrEmbedded(kafka, database, embedded)) {
            PostgresSettings databaseSettings = servers.embeddedDatabase()
                    ? database.embeddedSettings(servers.jdbcUrl(), EmbeddedDatabase.USER)
                    : database.settings(servers.jdbcUrl(), "postgres");
            String user = databaseSettings.user();
            HeartbeatConfig config = HeartbeatConfig.builder()
                    .kafka(Commands.kafka(kafka, servers.kafkaBootstrap()))
                    .database(databaseSettings)
                    .produce(new HeartbeatConfig.Simulation(simulation, simulator.seed(), false, Long.MAX_VALUE))
                    .consume(ingestThreads)
                    .web(web.settings())
                    .firstAdmin(Optional.of(Commands.firstAdmin(web).orElseGet(() -> new FirstAdmin(web.firstAdminName(),
                            Optional.empty(), Optional.of(adminPasswordFile())))))
                    .alerting(alerting)
                    .validation(Commands.validation(database))
                    .build();
            try (Wiring.Running running = Wiring.start(config, clock)) {
                String dashboard = "http://" + web.settings().bindAddress() + ":" + running.webPort().orElseThrow() + "/";
                out.printf(Locale.ROOT, "Heartbeat demo is up in %.1f s: %d customers, %.0f readings/s, seed %d.%n",
                        (System.nanoTime() - started) / 1e9, simulation.customers(), SimulatorOptions.ratePerSecond(simulation),
                        simulator.seed());
                out.println("  Dashboard   " + dashboard);
                out.println("  Kafka       " + servers.kafkaBootstrap() + (servers.embeddedKafka() ? " (embedded, log in "
                        + embedded.dataDir().resolve("kafka") + ")" : "") + ", topic " + config.kafka().get().topic());
                out.println("  PostgreSQL  " + servers.jdbcUrl().replaceAll("\\?.*", "") + " user " + user
                        + (servers.embeddedDatabase() ? " (embedded, no password, data in " + embedded.dataDir().resolve("postgres")
                        + ")" : ""));
                if (servers.embeddedDatabase()) {
                    out.println("  psql        psql -h 127.0.0.1 -p " + embedded.dbPort() + " -U " + user + " heartbeat");
                }
                out.println("  Sign in as  " + web.firstAdminName() + (web.firstAdminPassword().isPresent() ? ", with the password you gave"
                        : Files.exists(adminPasswordFile()) ? ", password in " + adminPasswordFile() + " (made at the first start)"
                        : " (an account made before: heartbeat users reset-password resets it)"));
                out.println("Ctrl-C to stop.");
                boolean died = Console.run(running, shutdown, simulator.duration(), every, out, clock);
                if (died) {
                    return ExitCodes.FAILED;
                }
            }
            out.println("Stopped.");
        }
        return ExitCodes.OK;
    }

    /** Where the demo keeps its first admin's generated password: next to its data, readable by its owner only. */
    private java.nio.file.Path adminPasswordFile() {
        return embedded.dataDir().resolve("admin-password");
    }

    private int inMemory(SimulationSettings simulation, Duration every, Clock clock) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        InMemoryPipeline pipeline = InMemoryPipeline.builder(clock).partitions(kafka.partitions()).build();
        SimulationDriver driver = new SimulationDriver(new Simulator(simulation, new SplittableRandom(simulator.seed())),
                pipeline.publisher(), clock, SimulationDriver.Pace.LIVE, Long.MAX_VALUE);
        out.printf(Locale.ROOT, "Heartbeat demo (in-memory): %d customers, %.0f readings/s, seed %d. Ctrl-C to stop.%n",
                simulation.customers(), SimulatorOptions.ratePerSecond(simulation), simulator.seed());
        Thread ingest = Thread.ofPlatform().name("ingest").start(pipeline.loop());
        Thread producer = Thread.ofPlatform().name("simulator").start(driver);
        try (Shutdown shutdown = new Shutdown()) {
            StatusLine status = new StatusLine(clock);
            long[] last = {System.nanoTime()};
            shutdown.await(simulator.duration(), every, () -> {
                long now = System.nanoTime();
                out.println(status.next(pipeline.counters().snapshot(), Duration.ofNanos(now - last[0]), pipeline.totalLag()));
                last[0] = now;
                return true;
            });
            driver.stop();
            producer.join(5_000);
            pipeline.loop().stop();
            ingest.join(5_000);
        }
        var totals = pipeline.counters().snapshot();
        out.printf("Stopped. published %d, stored %d, rejected %d, duplicates %d (stored + rejected + duplicates = %d)%n",
                driver.published(), totals.stored(), totals.rejected(), totals.duplicates(),
                totals.stored() + totals.rejected() + totals.duplicates());
        return ExitCodes.OK;
    }
}
