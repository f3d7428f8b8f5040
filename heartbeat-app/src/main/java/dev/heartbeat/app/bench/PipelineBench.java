package dev.heartbeat.app.bench;

import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;
import dev.heartbeat.app.options.IngestOptions;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;
import dev.heartbeat.postgres.IngestMeasurements;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.postgres.ScratchDatabase;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The whole pipeline on embedded servers, measured: (1) end-to-end latency at a steady rate, with a
 * consumer process (capped heap) running; (2) sustained throughput of that consumer, warm, at full
 * speed: {@code repeats} times, the ingest ceiling (one COPY of the burst's own rows into the same
 * schema, in a {@link ScratchDatabase} that grows burst by burst as the consumer's does) and right after
 * it the burst, published flat out, the consumer's rate counted once publishing is over; (3) a backlog
 * published flat out and consumed by a consumer process started cold on it. What PostgreSQL recorded
 * ({@link IngestMeasurements}) is the measure of what was stored and when.
 */
public final class PipelineBench {

    private final BenchPlan plan;
    private final Class<?> main;
    private final PrintWriter out;
    private final ProgressBar progress;

    /** {@code main} is the app's entry point, which the consumer processes run. */
    public PipelineBench(BenchPlan plan, Class<?> main, PrintWriter out, ProgressBar progress) {
        this.plan = plan;
        this.main = main;
        this.out = out;
        this.progress = progress;
    }

    /** Runs every phase with the servers' data in {@code dir}, then prints the results. */
    public void run(Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", ConsumerProcess.freePort(), ConsumerProcess.freePort());
             EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"), ConsumerProcess.freePort(), "heartbeat")) {
            KafkaSettings kafkaSettings = KafkaSettings.singleBroker(kafka.bootstrapServers()).withTopic("heartbeat-data", plan.partitions());
            try (KafkaTopicAdmin admin = new KafkaTopicAdmin(kafkaSettings)) {
                admin.ensureTopic();
            }
            PostgresSettings server = PostgresSettings.of(database.jdbcUrl(), EmbeddedDatabase.USER, "");
            List<String> consume = List.of("consume", "--kafka-bootstrap", kafka.bootstrapServers(), "--kafka-replication-factor", "1",
                    "--kafka-partitions", Integer.toString(plan.partitions()), "--jdbc-url", database.jdbcUrl(),
                    "--db-user", EmbeddedDatabase.USER, "--status-every", "1h", "--ingest-threads", Integer.toString(plan.ingestThreads()),
                    "--db-pool-size", Integer.toString(Math.max(10, IngestOptions.poolSizeFor(plan.ingestThreads()))));
            try (IngestMeasurements measurements = IngestMeasurements.open(server)) {
                measure(new Phases(kafkaSettings, server, consume, dir, measurements)).print(out);
            }
        }
    }

    /** What the phases share: the servers, the consumer's command line, where its logs go, the measuring connection. */
    private record Phases(KafkaSettings kafka, PostgresSettings server, List<String> consume, Path dir,
                          IngestMeasurements measurements) {
    }

    private BenchReport measure(Phases phases) throws Exception {
        // each burst and the backlog get a time span of their own, one after another, ending a minute
        // ago: readings arrive in time order per customer, as after an outage, not interleaved with
        // the previous burst's (the steady phase has customers of its own)
        Duration span = plan.span();
        Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(span.multipliedBy(plan.repeats() + 1)).minusSeconds(60);
        BenchReport.Latency latency;
        List<BenchReport.Burst> bursts = new ArrayList<>();
        try (ConsumerProcess consumer = ConsumerProcess.start(main, phases.consume(), plan.consumerHeap(), phases.dir().resolve("consumer-warm.log"))) {
            consumer.awaitReady();
            latency = steady(phases);
            // the ceiling's table grows burst by burst as the consumer's does: a COPY into a table that
            // holds millions of rows already costs more per row than one into an empty table
            try (ScratchDatabase ceilingDatabase = ScratchDatabase.create(phases.server(), "ceiling")) {
                for (int i = 1; i <= plan.repeats(); i++) {
                    Instant start = first.plus(span.multipliedBy(i - 1));
                    double ceiling = ceiling(ceilingDatabase, generate(start, burstSeed(i)), i);
                    bursts.add(burst(phases, consumer, ceiling, start, i));
                }
            }
        }
        BenchReport.Throughput cold = backlog(phases, first.plus(span.multipliedBy(plan.repeats())));
        return new BenchReport(plan, latency, bursts, cold);
    }

    /** The simulator's seed of burst {@code run}: its rows are the same in the ceiling and in the burst. */
    private static long burstSeed(int run) {
        return 100 + run;
    }

    private List<Reading> generate(Instant start, long seed) {
        Simulator simulator = new Simulator(SimulationSettings.of(plan.customers(), start), new SplittableRandom(seed));
        List<Reading> all = new ArrayList<>(plan.readings());
        while (all.size() < plan.readings()) {
            for (SimulatedReading r : simulator.nextTick()) {
                if (all.size() < plan.readings()) {
                    all.add(r.reading());
                }
            }
        }
        return all;
    }

    /** One COPY of a burst's rows into the same schema, in the ceiling's database. */
    private double ceiling(ScratchDatabase database, List<Reading> rows, int run) {
        long before = database.readings();
        double rate = rows.size() / (database.copy(rows) / 1e9);
        out.printf(Locale.ROOT, "%d/%d ceiling: one COPY of the burst's %,d rows into a table of %,d: %,.0f rows/s%n",
                run, plan.repeats(), rows.size(), before, rate);
        return rate;
    }

    private BenchReport.Latency steady(Phases phases) throws Exception {
        int rate = plan.steadyRate();
        // customers of their own ("live-"), so that the bursts' older readings never come after theirs
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SimulationSettings simulation = new SimulationSettings(rate, Duration.ofSeconds(1), start,
                SimulationSettings.DEFAULT_ANOMALIES_PER_CUSTOMER_HOUR, "live-");
        // readings are published at their own timestamps: those from start + warm-up on are measured
        // one reading per customer a second: whole seconds of each
        long warmup = plan.steadyWarmup().toSeconds();
        Instant measured = start.plusSeconds(warmup);
        long total = (long) rate * (warmup + plan.steadyDuration().toSeconds());
        out.printf(Locale.ROOT, "steady: %,d readings/s for %d s with the consumer running, the first %d s not measured%n",
                rate, warmup + plan.steadyDuration().toSeconds(), warmup);
        IngestMeasurements measurements = phases.measurements();
        long before = measurements.messages();
        publish(phases.kafka(), simulation, 1, SimulationDriver.Pace.LIVE, total, () -> { });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long done;
        while ((done = measurements.messages() - before) < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer stored " + done + " of the steady phase's " + total
                        + " readings within 60 s after publishing ended");
            }
            Thread.sleep(200);
        }
        // measured from what PostgreSQL recorded, after the warm-up: created_at is now() of the storing
        // transaction, ingest_batches.committed_at its clock_timestamp() at the end
        Histogram perReading = new Histogram(3_600_000_000L, 3);
        Histogram perBatch = new Histogram(3_600_000_000L, 3);
        measurements.readingLatencies(measured, micros -> perReading.recordValue(Math.min(micros, perReading.getHighestTrackableValue())));
        measurements.batchLatencies(measured, micros -> perBatch.recordValue(Math.min(micros, perBatch.getHighestTrackableValue())));
        return new BenchReport.Latency(perReading, perBatch);
    }

    /**
     * Publishes the burst flat out while the (warm) consumer runs and counts what it stores: the rate over
     * the whole burst, and the sustained rate once publishing is over, when the consumer has a backlog and
     * nothing else runs.
     */
    private BenchReport.Burst burst(Phases phases, ConsumerProcess consumer, double ceiling, Instant start, int run) throws Exception {
        int readings = plan.readings();
        out.printf(Locale.ROOT, "%d/%d burst: %,d readings published flat out to the running consumer%n", run, plan.repeats(), readings);
        IngestMeasurements measurements = phases.measurements();
        long before = measurements.messages();
        double[] maxHeap = {0};
        long began = System.nanoTime();
        publish(phases.kafka(), SimulationSettings.of(plan.customers(), start), burstSeed(run), SimulationDriver.Pace.FLAT_OUT, readings,
                () -> maxHeap[0] = Math.max(maxHeap[0], consumer.heapUsed()));
        long published = System.nanoTime();
        long storedWhenPublished = measurements.messages() - before;
        Watched watched = awaitStored(measurements, before, consumer);
        double whole = readings / ((watched.finished() - began) / 1e9);
        long backlog = readings - storedWhenPublished;
        // a consumer that nearly kept up with publishing had too small a backlog to time: the whole burst's rate it is
        double sustained = backlog >= readings / 10 ? backlog / ((watched.finished() - published) / 1e9) : whole;
        return new BenchReport.Burst(ceiling, readings / ((published - began) / 1e9), whole, sustained,
                Math.max(maxHeap[0], watched.maxHeap()));
    }

    private BenchReport.Throughput backlog(Phases phases, Instant start) throws Exception {
        int readings = plan.readings();
        out.printf(Locale.ROOT, "cold: publishing %,d readings flat out, then consuming them with a new consumer process, -Xmx%s%n",
                readings, plan.consumerHeap());
        IngestMeasurements measurements = phases.measurements();
        long before = measurements.messages();
        long began = System.nanoTime();
        publish(phases.kafka(), SimulationSettings.of(plan.customers(), start), 2, SimulationDriver.Pace.FLAT_OUT, readings, () -> { });
        double published = readings / ((System.nanoTime() - began) / 1e9);
        try (ConsumerProcess consumer = ConsumerProcess.start(main, phases.consume(), plan.consumerHeap(),
                phases.dir().resolve("consumer-backlog.log"))) {
            consumer.awaitReady();
            long ready = System.nanoTime();
            Watched watched = awaitStored(measurements, before, consumer);
            // from the first readings seen stored (the JVM's start and the group's join are not throughput), unless
            // nearly all came at once: then from the consumer's readiness
            long after = readings - watched.atFirst();
            double rate = after >= readings / 10
                    ? after / ((watched.finished() - watched.firstStored()) / 1e9)
                    : readings / ((watched.finished() - ready) / 1e9);
            return new BenchReport.Throughput(published, rate, watched.maxHeap());
        }
    }

    /**
     * When readings were first seen stored ({@code atFirst} of them) and when all the phase's readings were, and
     * the consumer's peak heap meanwhile.
     */
    private record Watched(long firstStored, long atFirst, long finished, double maxHeap) {
    }

    /** Polls every 50 ms until the phase's readings more than {@code before} are taken care of; fails if the consumer dies or stores nothing for a minute. */
    private Watched awaitStored(IngestMeasurements measurements, long before, ConsumerProcess consumer) throws InterruptedException {
        long readings = plan.readings();
        long firstStored = 0;
        long atFirst = 0;
        double maxHeap = 0;
        long lastHeap = 0;
        long done = 0;
        long progressed = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long next = measurements.messages() - before;
            if (next > done) {
                if (firstStored == 0) {
                    firstStored = now;
                    atFirst = next;
                }
                done = next;
                progressed = now;
            }
            if (done >= readings) {
                progress.finish(readings, readings, "stored");
                return new Watched(firstStored, atFirst, now, maxHeap);
            }
            consumer.checkAlive();
            if (now - progressed > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException("the consumer stored nothing for 60 s, at " + done + " of " + readings);
            }
            if (now - lastHeap > 250_000_000L) {
                maxHeap = Math.max(maxHeap, consumer.heapUsed());
                lastHeap = now;
            }
            progress.show(done, readings, "stored");
            Thread.sleep(50);
        }
    }

    /** Something to do between progress frames while publishing. */
    private interface Tick {
        void run() throws Exception;
    }

    /** Publishes {@code count} simulated readings at {@code pace}, showing progress; fails if any could not be. */
    private void publish(KafkaSettings settings, SimulationSettings simulation, long seed, SimulationDriver.Pace pace,
                         long count, Tick eachTick) throws Exception {
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings)) {
            SimulationDriver driver = new SimulationDriver(new Simulator(simulation, new SplittableRandom(seed)), publisher,
                    Clock.systemUTC(), pace, count);
            Thread thread = Thread.ofPlatform().start(driver);
            while (thread.isAlive()) {
                progress.show(driver.published(), count, "published");
                eachTick.run();
                thread.join(250);
            }
            progress.finish(count, count, "published");
            if (driver.failed() > 0) {
                throw new IllegalStateException(driver.failed() + " readings could not be published: " + driver.lastFailure());
            }
        }
    }
}
