package dev.heartbeat.app;

import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DurationConverter;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.postgres.PostgresSettings;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole pipeline on embedded servers, measured: (1) end-to-end latency at a steady rate, with a
 * consumer process (capped heap) running; (2) sustained throughput of that consumer, warm, at full speed:
 * {@code --repeats} times, the ingest ceiling (one COPY of the burst's own rows into the same schema, in a
 * database of its own that grows burst by burst as the consumer's does) and right after it the burst,
 * published flat out, the consumer's rate counted once publishing is over; (3) a backlog published flat
 * out and consumed by a consumer process started cold on it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole pipeline on embedded servers: ingest ceiling, latency at a steady rate, "
                + "and sustained throughput of a consumer with a capped heap.")
public final class BenchCommand implements Callable<Integer> {

    private static final String CEILING_DATABASE = "ceiling";

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

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        if (readings < 1000 || customers < 1 || steadyRate < 1 || repeats < 1 || steadyWarmup.isNegative()
                || customers > SimulationSettings.MAX_CUSTOMERS || steadyRate > SimulationSettings.MAX_CUSTOMERS) {
            throw new ConfigurationException("--readings must be >= 1000, --repeats >= 1, --customers and --steady-rate 1-"
                    + SimulationSettings.MAX_CUSTOMERS + ", --steady-warmup >= 0");
        }
        int ingestThreads = ingest.threads();
        long secondsPerSpan = (readings + (long) customers - 1) / customers;
        if (secondsPerSpan * (repeats + 1) > Duration.ofHours(12).toSeconds()) {
            // the bursts (and the ceilings' copies of them) and the backlog lie one after another in the past:
            // more than half a day of readings per customer would outrun the partitions made ahead
            throw new ConfigurationException("--readings / --customers gives " + secondsPerSpan + " readings per customer, "
                    + "which over " + repeats + " bursts and the backlog span more than 12 h at one a second: "
                    + "use more --customers or fewer --readings");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("heartbeat-bench");
        int kafkaPort = freePort();
        int dbPort = freePort();
        out.printf(Locale.ROOT, "Heartbeat bench: %,d readings from %,d customers, %d partitions; steady %,d/s for %s after %s;"
                        + " %d x ceiling + burst; consumer -Xmx%s, %d ingest threads; %d cores%n",
                readings, customers, partitions, steadyRate, steadyDuration, steadyWarmup, repeats, consumerHeap, ingestThreads,
                Runtime.getRuntime().availableProcessors());
        try {
            run(dir, kafkaPort, dbPort, ingestThreads, out);
        } finally {
            http.close();
            deleteRecursively(dir); // a few GB of broker log and database per run
        }
        return ExitCodes.OK;
    }

    private void run(Path dir, int kafkaPort, int dbPort, int ingestThreads, PrintWriter out) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", kafkaPort, freePort());
             EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"), dbPort, "heartbeat")) {
            KafkaSettings settings = KafkaSettings.singleBroker(kafka.bootstrapServers()).withTopic("heartbeat-data", partitions);
            try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
                admin.ensureTopic();
            }
            String[] consume = {"consume", "--kafka-bootstrap", kafka.bootstrapServers(), "--kafka-replication-factor", "1",
                    "--kafka-partitions", Integer.toString(partitions), "--jdbc-url", database.jdbcUrl(),
                    "--db-user", EmbeddedDatabase.USER, "--status-every", "1h", "--ingest-threads", Integer.toString(ingestThreads),
                    "--db-pool-size", Integer.toString(Math.max(10, IngestOptions.poolSizeFor(ingestThreads)))};
            // each burst and the backlog get a time span of their own, one after another, ending a minute
            // ago: readings arrive in time order per customer, as after an outage, not interleaved with
            // the previous burst's (the steady phase has customers of its own)
            Duration span = SimulationSettings.DEFAULT_INTERVAL.multipliedBy((readings + customers - 1) / customers);
            Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(span.multipliedBy(repeats + 1)).minusSeconds(60);

            Latency latency;
            List<Burst> bursts = new ArrayList<>();
            int probe = freePort();
            Process consumer = startConsumer(consume, probe, dir.resolve("consumer-warm.log"));
            try {
                awaitReady(probe, consumer);
                latency = steady(settings, probe, database, out);
                // the ceiling's table grows burst by burst as the consumer's does: a COPY into a table that
                // holds millions of rows already costs more per row than one into an empty table
                createCeilingDatabase(database);
                for (int i = 1; i <= repeats; i++) {
                    Instant start = first.plus(span.multipliedBy(i - 1));
                    double ceiling = ceiling(database, ceilingRows(start, burstSeed(i)), out, i);
                    bursts.add(burst(settings, probe, consumer, database, ceiling, start, out, i));
                }
            } finally {
                try {
                    stop(consumer);
                } finally {
                    dropCeilingDatabase(database);
                }
            }
            Throughput cold = backlog(settings, consume, dir, database, first.plus(span.multipliedBy(repeats)), out);

            double[] ceilings = bursts.stream().mapToDouble(Burst::ceiling).sorted().toArray();
            double[] ratios = bursts.stream().mapToDouble(b -> b.sustained / b.ceiling).sorted().toArray();
            double medianCeiling = median(ceilings);
            out.println();
            out.println("Results");
            for (int i = 0; i < bursts.size(); i++) {
                Burst b = bursts.get(i);
                out.printf(Locale.ROOT, "  run %d: ceiling (the burst's %,d rows in one COPY, table holding %,d) %,9.0f rows/s; warm consumer, sustained %,9.0f readings/s"
                                + " = %.2f x ceiling (whole burst %,.0f/s, published at %,.0f/s)%n",
                        i + 1, readings, i * (long) readings, b.ceiling, b.sustained, b.sustained / b.ceiling, b.whole, b.published);
            }
            out.printf(Locale.ROOT, "  end to end, sustained, warm -Xmx%s consumer at full speed: median %.2f x ceiling (median ceiling %,.0f rows/s)%n",
                    consumerHeap, median(ratios), medianCeiling);
            out.printf(Locale.ROOT, "  end to end, cold consumer started on a backlog (JIT warm-up included) %,9.0f readings/s = %.2f x median ceiling%n",
                    cold.consumed, cold.consumed / medianCeiling);
            out.printf(Locale.ROOT, "  consumer heap used, at most: warm %,.0f MiB, cold %,.0f MiB of %s%n",
                    bursts.stream().mapToDouble(Burst::maxHeap).max().orElse(0) / 1048576.0, cold.maxHeap / 1048576.0, consumerHeap);
            out.printf(Locale.ROOT, "  latency at a steady %,d readings/s, every reading (timestamp to its storing transaction)%n"
                    + "                                                               p50 %,d ms, p99 %,d ms, max %,d ms (%,d readings)%n",
                    steadyRate, latency.readings.getValueAtPercentile(50) / 1000, latency.readings.getValueAtPercentile(99) / 1000,
                    latency.readings.getMaxValue() / 1000, latency.readings.getTotalCount());
            out.printf(Locale.ROOT, "  the same, each batch's oldest reading to its commit          p50 %,d ms, p99 %,d ms, max %,d ms (%,d batches)%n",
                    latency.batches.getValueAtPercentile(50) / 1000, latency.batches.getValueAtPercentile(99) / 1000,
                    latency.batches.getMaxValue() / 1000, latency.batches.getTotalCount());
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Microseconds: every reading's timestamp to the start of the transaction that stored it; each batch's oldest reading to its commit. */
    record Latency(Histogram readings, Histogram batches) {
    }

    record Throughput(double published, double consumed, double maxHeap) {
    }

    /** One ceiling and the burst right after it: rates in readings/s, the consumer's peak heap in bytes. */
    record Burst(double ceiling, double published, double whole, double sustained, double maxHeap) {
    }

    /** A burst's rows (those {@link #burst} publishes from {@code start} with {@code seed}) as COPY text. */
    private String ceilingRows(Instant start, long seed) {
        StringBuilder rows = new StringBuilder(readings * 60);
        for (Reading r : generate(start, seed)) {
            rows.append(r.customerId()).append('\t').append(r.recordedAt()).append('\t').append(r.heartRate()).append('\t')
                    .append(r.level().wireName()).append('\t').append(r.activity().wireName()).append('\n');
        }
        return rows.toString();
    }

    private static void createCeilingDatabase(EmbeddedDatabase database) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + CEILING_DATABASE);
        }
        try (PostgresDatabase schema = PostgresDatabase.connect(PostgresSettings.of(ceilingUrl(database), EmbeddedDatabase.USER, ""))) {
            schema.migrate();
        }
        try (Connection c = DriverManager.getConnection(ceilingUrl(database), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement()) {
            // the bursts lie in the past, within the last 12 h (checked up front)
            s.execute("SELECT heartbeat_create_partitions(current_date - 1, current_date + 2)");
        }
    }

    private static void dropCeilingDatabase(EmbeddedDatabase database) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + CEILING_DATABASE + " WITH (FORCE)");
        }
    }

    private static String ceilingUrl(EmbeddedDatabase database) {
        return database.jdbcUrl().replace("/heartbeat", "/" + CEILING_DATABASE);
    }

    /** One COPY of a burst's rows into the same schema, in the ceiling's database. */
    private double ceiling(EmbeddedDatabase database, String rows, PrintWriter out, int run) throws Exception {
        long before;
        double rate;
        try (Connection c = DriverManager.getConnection(ceilingUrl(database), EmbeddedDatabase.USER, "")) {
            try (Statement s = c.createStatement(); ResultSet count = s.executeQuery("SELECT count(*) FROM heartbeat_records")) {
                count.next();
                before = count.getLong(1);
            }
            long began = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity) FROM STDIN",
                    new StringReader(rows));
            rate = readings / ((System.nanoTime() - began) / 1e9);
        }
        out.printf(Locale.ROOT, "%d/%d ceiling: one COPY of the burst's %,d rows into a table of %,d: %,.0f rows/s%n",
                run, repeats, readings, before, rate);
        return rate;
    }

    private List<Reading> generate(Instant start, long seed) {
        Simulator simulator = new Simulator(SimulationSettings.of(customers, start), new SplittableRandom(seed));
        List<Reading> all = new ArrayList<>(readings);
        while (all.size() < readings) {
            for (SimulatedReading r : simulator.nextTick()) {
                if (all.size() < readings) {
                    all.add(r.reading());
                }
            }
        }
        return all;
    }

    private Latency steady(KafkaSettings settings, int probe, EmbeddedDatabase database, PrintWriter out) throws Exception {
        int steadyCustomers = Math.max(1, steadyRate);
        // customers of their own ("live-"), so that the bursts' older readings never come after theirs
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SimulationSettings simulation = new SimulationSettings(steadyCustomers, Duration.ofSeconds(1), start,
                SimulationSettings.DEFAULT_ANOMALIES_PER_CUSTOMER_HOUR, "live-");
        // readings are published at their own timestamps: those from start + warm-up on are measured
        // one reading per customer a second: whole seconds of each
        Instant measured = start.plusSeconds(steadyWarmup.toSeconds());
        long total = (long) steadyRate * (steadyWarmup.toSeconds() + steadyDuration.toSeconds());
        out.printf(Locale.ROOT, "steady: %,d readings/s for %d s with the consumer running, the first %d s not measured%n",
                steadyRate, steadyWarmup.toSeconds() + steadyDuration.toSeconds(), steadyWarmup.toSeconds());
        try (StoredCount stored = new StoredCount(database)) {
            long before = stored.get();
            publish(settings, simulation, 1, SimulationDriver.Pace.LIVE, total, out, () -> { });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long done;
            while ((done = stored.get() - before) < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the consumer stored " + done + " of the steady phase's " + total
                            + " readings within 60 s after publishing ended");
                }
                Thread.sleep(200);
            }
        }
        // measured from what PostgreSQL recorded, after the warm-up: created_at is now() of the storing
        // transaction, ingest_batches.committed_at its clock_timestamp() at the end
        Histogram perReading = new Histogram(3_600_000_000L, 3);
        Histogram perBatch = new Histogram(3_600_000_000L, 3);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            c.setAutoCommit(false); // the fetch size streams the rows
            try (PreparedStatement readingsLatency = c.prepareStatement(
                    "SELECT greatest(0, (extract(epoch FROM created_at - recorded_at) * 1000000)::bigint) FROM heartbeat_records"
                            + " WHERE recorded_at >= ?")) {
                readingsLatency.setFetchSize(10_000);
                readingsLatency.setObject(1, measured.atOffset(ZoneOffset.UTC));
                try (ResultSet rows = readingsLatency.executeQuery()) {
                    while (rows.next()) {
                        perReading.recordValue(Math.min(rows.getLong(1), perReading.getHighestTrackableValue()));
                    }
                }
            }
            try (PreparedStatement batchesLatency = c.prepareStatement(
                    "SELECT latency_us FROM ingest_batches WHERE stored > 0 AND oldest_reading >= ?")) {
                batchesLatency.setObject(1, measured.atOffset(ZoneOffset.UTC));
                try (ResultSet rows = batchesLatency.executeQuery()) {
                    while (rows.next()) {
                        perBatch.recordValue(Math.min(Math.max(0, rows.getLong(1)), perBatch.getHighestTrackableValue()));
                    }
                }
            }
        }
        return new Latency(perReading, perBatch);
    }

    /**
     * Publishes {@code --readings} flat out while the (warm) consumer runs and counts what it stores: the
     * rate over the whole burst, and the sustained rate once publishing is over, when the consumer has a
     * backlog and nothing else runs.
     */
    private Burst burst(KafkaSettings settings, int probe, Process consumer, EmbeddedDatabase database, double ceiling,
                        Instant start, PrintWriter out, int run) throws Exception {
        out.printf(Locale.ROOT, "%d/%d burst: %,d readings published flat out to the running consumer%n", run, repeats, readings);
        SimulationSettings simulation = SimulationSettings.of(customers, start);
        try (StoredCount stored = new StoredCount(database)) {
            long before = stored.get();
            double[] maxHeap = {0};
            long began = System.nanoTime();
            publish(settings, simulation, burstSeed(run), SimulationDriver.Pace.FLAT_OUT, readings, out,
                    () -> maxHeap[0] = Math.max(maxHeap[0], heap(probe)));
            long published = System.nanoTime();
            long storedWhenPublished = stored.get() - before;
            Watched watched = awaitStored(stored, before, consumer, probe, out, 50);
            double whole = readings / ((watched.finished() - began) / 1e9);
            long backlog = readings - storedWhenPublished;
            // a consumer that nearly kept up with publishing had too small a backlog to time: the whole burst's rate it is
            double sustained = backlog >= readings / 10 ? backlog / ((watched.finished() - published) / 1e9) : whole;
            return new Burst(ceiling, readings / ((published - began) / 1e9), whole, sustained, Math.max(maxHeap[0], watched.maxHeap()));
        }
    }

    /**
     * When readings were first seen stored ({@code atFirst} of them) and when all {@code --readings} were, and
     * the consumer's peak heap meanwhile.
     */
    record Watched(long firstStored, long atFirst, long finished, double maxHeap) {
    }

    /** Polls until {@code --readings} readings more than {@code before} are stored; fails if the consumer dies or stores nothing for a minute. */
    private Watched awaitStored(StoredCount stored, long before, Process consumer, int probe, PrintWriter out, long pollMillis)
            throws Exception {
        long firstStored = 0;
        long atFirst = 0;
        double maxHeap = 0;
        long lastHeap = 0;
        long done = 0;
        long progressed = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long next = stored.get() - before;
            if (next > done) {
                if (firstStored == 0) {
                    firstStored = now;
                    atFirst = next;
                }
                done = next;
                progressed = now;
            }
            if (done >= readings) {
                progress(out, readings, readings, "stored");
                out.println();
                return new Watched(firstStored, atFirst, now, maxHeap);
            }
            if (!consumer.isAlive()) {
                throw new IllegalStateException("the consumer died (exit " + consumer.exitValue() + "; heap too small?)");
            }
            if (now - progressed > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException("the consumer stored nothing for 60 s, at " + done + " of " + readings);
            }
            if (now - lastHeap > 250_000_000L) {
                maxHeap = Math.max(maxHeap, heap(probe));
                lastHeap = now;
            }
            progress(out, done, readings, "stored");
            Thread.sleep(pollMillis);
        }
    }

    private Throughput backlog(KafkaSettings settings, String[] consume, Path dir, EmbeddedDatabase database, Instant start,
                               PrintWriter out)
            throws Exception {
        out.printf(Locale.ROOT, "cold: publishing %,d readings flat out, then consuming them with a new consumer process, -Xmx%s%n", readings, consumerHeap);
        try (StoredCount stored = new StoredCount(database)) {
            long before = stored.get();
            long began = System.nanoTime();
            publish(settings, SimulationSettings.of(customers, start), 2, SimulationDriver.Pace.FLAT_OUT, readings, out, () -> { });
            double published = readings / ((System.nanoTime() - began) / 1e9);
            int probe = freePort();
            Process consumer = startConsumer(consume, probe, dir.resolve("consumer-backlog.log"));
            try {
                awaitReady(probe, consumer);
                long ready = System.nanoTime();
                Watched watched = awaitStored(stored, before, consumer, probe, out, 50);
                // from the first readings seen stored (the JVM's start and the group's join are not throughput), unless
                // nearly all came at once: then from the consumer's readiness
                long after = readings - watched.atFirst();
                double rate = after >= readings / 10
                        ? after / ((watched.finished() - watched.firstStored()) / 1e9)
                        : readings / ((watched.finished() - ready) / 1e9);
                return new Throughput(published, rate, watched.maxHeap());
            } finally {
                stop(consumer);
            }
        }
    }

    /** Something to do between progress lines while publishing. */
    private interface Tick {
        void run() throws Exception;
    }

    /** Publishes {@code count} simulated readings at {@code pace} with a progress bar; fails if any could not be. */
    /** The simulator's seed of burst {@code run}: its rows are the same in the ceiling and in the burst. */
    private static long burstSeed(int run) {
        return 100 + run;
    }

    private static void publish(KafkaSettings settings, SimulationSettings simulation, long seed, SimulationDriver.Pace pace,
                                long count, PrintWriter out, Tick eachTick) throws Exception {
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings)) {
            SimulationDriver driver = new SimulationDriver(new Simulator(simulation, new SplittableRandom(seed)), publisher,
                    Clock.systemUTC(), pace, count);
            Thread thread = Thread.ofPlatform().start(driver);
            while (thread.isAlive()) {
                progress(out, driver.published(), count, "published");
                eachTick.run();
                thread.join(250);
            }
            progress(out, count, count, "published");
            out.println();
            if (driver.failed() > 0) {
                throw new IllegalStateException(driver.failed() + " readings could not be published: " + driver.lastFailure());
            }
        }
    }

    private static void stop(Process consumer) throws InterruptedException {
        consumer.destroy();
        if (!consumer.waitFor(20, TimeUnit.SECONDS)) {
            consumer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startConsumer(String[] consume, int probe, Path log) throws IOException {
        // the collector the Docker image runs the app with (its JAVA_TOOL_OPTIONS)
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + consumerHeap, "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(consume));
        command.addAll(List.of("--probe-port", Integer.toString(probe)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitReady(int probe, Process consumer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!consumer.isAlive()) {
                throw new IllegalStateException("the consumer exited with " + consumer.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probe + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the consumer did not become ready within 60 s");
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private double heap(int probe) {
        try {
            Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]*\"\\} ([0-9.E+-]+)$")
                    .matcher(get(probe, "/metrics"));
            double total = 0;
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
            return total;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    /** Messages the consumer has taken care of (stored, rejected or duplicates), on one connection kept open while polling. */
    private static final class StoredCount implements AutoCloseable {

        private final Connection connection;

        StoredCount(EmbeddedDatabase database) throws SQLException {
            connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
        }

        long get() throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(sum(messages), 0) FROM stream_positions")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static void progress(PrintWriter out, long done, long total, String what) {
        int width = 40;
        int filled = (int) (width * Math.min(1.0, (double) done / total));
        out.printf(Locale.ROOT, "\r  [%s%s] %3.0f%% %,d/%,d %s", "#".repeat(filled), ".".repeat(width - filled),
                100.0 * done / total, done, total, what);
        out.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
