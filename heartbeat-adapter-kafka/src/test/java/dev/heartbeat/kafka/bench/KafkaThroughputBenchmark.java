package dev.heartbeat.kafka.bench;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaReadingSource;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish and consume throughput of the Kafka adapter on one broker in this JVM (the test kit).
 * Not a test: run on demand, see docs/benchmarks.md (Kafka adapter).
 *
 * <p>Publish: {@link KafkaReadingPublisher} as built (idempotent, acks=all, the default batching and
 * compression), from the first send until every send is acknowledged. Consume: {@link KafkaReadingSource}
 * driven by core's {@link IngestLoop} (decode, validate, classify) into core's in-memory store, from
 * the loop's start (group join included) until every message is committed to the store; also reported
 * from the first committed batch, which leaves the group join out. A warm-up round on another topic
 * runs first so that both figures are for JIT-compiled code.
 *
 * <p>Arguments (all optional, in this order): readings (default 1,000,000), customers (10,000), warm-up
 * readings (200,000), then to try other tuning than {@link KafkaSettings}' defaults: compression type,
 * linger in ms, batch size in bytes, max poll records.
 */
public final class KafkaThroughputBenchmark {

    private static final Instant START = Instant.parse("2026-11-29T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(START.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    private KafkaThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        KafkaSettings defaults = KafkaSettings.singleBroker("unused:9092");
        String compression = args.length > 3 ? args[3] : defaults.compressionType();
        Duration linger = args.length > 4 ? Duration.ofMillis(Long.parseLong(args[4])) : defaults.linger();
        int batchSize = args.length > 5 ? Integer.parseInt(args[5]) : defaults.batchSizeBytes();
        int maxPoll = args.length > 6 ? Integer.parseInt(args[6]) : defaults.maxPollRecords();
        System.out.printf(Locale.ROOT, "KafkaThroughputBenchmark: %,d readings of %,d customers, %d cores, max heap %,d MB%n",
                readings, customers, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        KafkaClusterTestKit cluster = singleBroker();
        try {
            String bootstrap = cluster.bootstrapServers();
            if (warmup > 0) {
                List<Reading> warm = generate(7, customers, warmup);
                Result w = round(tuned(bootstrap, compression, linger, batchSize, maxPoll).withTopic("bench-warmup", 3)
                        .withGroup("bench-warmup", "warmup"), warm);
                System.out.printf(Locale.ROOT, "warm-up   : %,d readings: publish %,.0f/s, consume %,.0f/s%n", warmup,
                        w.publishRate(), w.consumeRate());
                warm = null;
                System.gc();
            }
            List<Reading> all = generate(42, customers, readings);
            KafkaSettings settings = tuned(bootstrap, compression, linger, batchSize, maxPoll).withTopic("bench", 3)
                    .withGroup("bench", "bench");
            Result r = round(settings, all);
            System.out.printf(Locale.ROOT, "settings  : linger %d ms, batch.size %,d B, compression %s, max.poll.records %,d, %d partitions%n",
                    settings.linger().toMillis(), settings.batchSizeBytes(), settings.compressionType(), settings.maxPollRecords(),
                    settings.partitions());
            System.out.printf(Locale.ROOT, "publish   : %,d readings in %,d ms = %,.0f readings/s (all acknowledged, acks=all, idempotent)%n",
                    readings, r.publishNanos() / 1_000_000, r.publishRate());
            System.out.printf(Locale.ROOT, "consume   : %,d readings in %,d ms = %,.0f readings/s into the in-memory store "
                    + "(%,.0f/s from the first committed batch; %,d batches)%n",
                    readings, r.consumeNanos() / 1_000_000, r.consumeRate(), r.steadyConsumeRate(), r.batches());
            System.out.printf(Locale.ROOT, "ingest CPU: the loop's thread used %,d ms of CPU = %.2f us per reading "
                    + "(%,.0f readings per CPU-second of that thread; the rest of the JVM, the broker included, on top)%n",
                    r.loopCpuNanos() / 1_000_000, r.loopCpuNanos() / 1e3 / readings, readings * 1e9 / r.loopCpuNanos());
            all = null;
            System.gc();
            long sourceNanos = sourceOnly(settings.withGroup("bench-source-only", "source-only"), readings);
            System.out.printf(Locale.ROOT, "source    : %,d readings in %,d ms = %,.0f readings/s polled and decoded by the source alone "
                    + "(no validation, no store: the adapter's own share)%n", readings, sourceNanos / 1_000_000,
                    readings * 1e9 / sourceNanos);
        } finally {
            cluster.close();
        }
    }

    private static KafkaSettings tuned(String bootstrap, String compression, Duration linger, int batchSize, int maxPoll) {
        KafkaSettings single = KafkaSettings.singleBroker(bootstrap);
        return single.withProducerTuning(linger, batchSize, compression, single.deliveryTimeout()).withMaxPollRecords(maxPoll);
    }

    record Result(long publishNanos, long consumeNanos, long steadyNanos, long steadyMessages, long messages, long batches,
                  long loopCpuNanos) {
        double publishRate() {
            return messages * 1e9 / publishNanos;
        }

        double consumeRate() {
            return messages * 1e9 / consumeNanos;
        }

        double steadyConsumeRate() {
            return steadyMessages * 1e9 / steadyNanos;
        }
    }

    private static Result round(KafkaSettings settings, List<Reading> readings) throws Exception {
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            admin.ensureTopic();
        }
        long publishNanos;
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings)) {
            List<CompletableFuture<Void>> sent = new ArrayList<>(readings.size());
            long start = System.nanoTime();
            for (Reading reading : readings) {
                sent.add(publisher.publish(reading));
            }
            publisher.flush();
            publishNanos = System.nanoTime() - start;
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            if (publisher.failures() > 0 || publisher.acknowledged() != readings.size()) {
                throw new IllegalStateException("publish failures: " + publisher.failuresByCause());
            }
        }

        InMemoryDatabase database = new InMemoryDatabase(CLOCK);
        Ingest ingest = new Ingest(new ReadingValidator(ValidationPolicy.defaults(), CLOCK), database.store(), CLOCK);
        AtomicLong committed = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong firstBatchAt = new AtomicLong();
        AtomicLong firstBatchSize = new AtomicLong();
        AtomicLong lastBatchAt = new AtomicLong();
        IngestObserver observer = new IngestObserver() {
            @Override
            public void committed(StoreBatch batch, WriteOutcome.Committed outcome) {
                long now = System.nanoTime();
                if (batches.getAndIncrement() == 0) {
                    firstBatchAt.set(now);
                    firstBatchSize.set(outcome.messages());
                }
                lastBatchAt.set(now);
                committed.addAndGet(outcome.messages());
            }
        };
        IngestLoop loop = new IngestLoop(new KafkaReadingSource(settings), ingest, observer, Backoff.DEFAULT,
                Duration.ofMillis(200));
        Thread thread = new Thread(loop, "bench-ingest");
        long start = System.nanoTime();
        thread.start();
        while (committed.get() < readings.size()) {
            Thread.sleep(5);
            if (!thread.isAlive()) {
                throw new IllegalStateException("the ingest loop ended early");
            }
        }
        long consumeNanos = lastBatchAt.get() - start;
        long loopCpuNanos = ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
        loop.stop();
        thread.join();
        PipelineCounters counters = database.queries().counters();
        if (counters.stored() != readings.size() || counters.rejected() != 0) {
            throw new IllegalStateException("expected every reading stored once: " + counters);
        }
        return new Result(publishNanos, consumeNanos, lastBatchAt.get() - firstBatchAt.get(),
                committed.get() - firstBatchSize.get(), readings.size(), batches.get(), loopCpuNanos);
    }

    /** Polls and decodes every message with a fresh source, as the loop would, but hands the batches to nobody. */
    private static long sourceOnly(KafkaSettings settings, int readings) {
        try (KafkaReadingSource source = new KafkaReadingSource(settings)) {
            // an empty store: every partition from the beginning
            source.start(new dev.heartbeat.core.memory.InMemoryDatabase(java.time.Clock.systemUTC()).store());
            long seen = 0;
            long start = 0;
            while (seen < readings) {
                SourceBatch batch = source.poll(Duration.ofMillis(200));
                if (!batch.isEmpty() && start == 0) {
                    start = System.nanoTime();
                }
                seen += batch.size();
                source.committed(batch);
            }
            return System.nanoTime() - start;
        }
    }

    private static List<Reading> generate(long seed, int customers, int count) {
        Simulator simulator = new Simulator(SimulationSettings.of(customers, START), new SplittableRandom(seed));
        List<Reading> readings = new ArrayList<>(count);
        while (readings.size() < count) {
            for (SimulatedReading r : simulator.nextTick()) {
                if (readings.size() < count) {
                    readings.add(r.reading());
                }
            }
        }
        return readings;
    }

    private static KafkaClusterTestKit singleBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumControllerNodes(1).setNumBrokerNodes(1).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }
}
