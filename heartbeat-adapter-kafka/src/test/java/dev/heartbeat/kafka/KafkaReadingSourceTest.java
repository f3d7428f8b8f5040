package dev.heartbeat.kafka;

import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.ingest.Ingest;
import dev.heartbeat.core.ingest.IngestLoop;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.ReadingSourceContract;
import dev.heartbeat.core.port.TestStream;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.validation.RejectReason;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KafkaReadingSource} on one real broker: core's source contract, and driven by core's ingest loop
 * into core's in-memory store, exactly once across restarts, rebalances and store outages, positions from
 * the store only.
 */
class KafkaReadingSourceTest extends ReadingSourceContract {

    static KafkaTestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaTestCluster.start(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected TestStream stream(int partitions) {
        return KafkaTestStream.create(cluster, partitions);
    }

    static KafkaPipeline pipeline(String name, int partitions) {
        return KafkaPipeline.create(cluster, name, partitions, (short) 1, 1);
    }

    @Test
    void storesEveryReadingOnceAndTellsKafkaTheStoresPositions() throws Exception {
        KafkaPipeline pipeline = pipeline("basic", 3);
        List<Reading> readings = SimulatedReadings.generate(1, 50, 5_000);
        pipeline.publish(readings);
        CommittedLog log = new CommittedLog();
        try (RunningLoop loop = RunningLoop.start("basic", pipeline.source("basic"), pipeline.ingest, log)) {
            pipeline.awaitStored(readings.size(), Duration.ofSeconds(60));
            Map<TopicPartition, Long> expected = new HashMap<>();
            pipeline.storedPositions().forEach((p, next) -> expected.put(new TopicPartition(p.topic(), p.partition()), next));
            Await.until(Duration.ofSeconds(20), () -> expected.equals(committedInKafka(pipeline)),
                    () -> "Kafka's committed offsets " + committedInKafka(pipeline) + " to equal the store's " + expected);
            loop.assertRunning();
        }
        pipeline.assertExactlyOnce(readings);
        assertTrue(log.batches().size() > 3, "batches of at most 500 messages: " + log.batches().size());
        assertEquals(0, log.staleBatches());
        assertTrue(log.orderViolations().isEmpty(), () -> "out of order: " + log.orderViolations());
    }

    static Map<TopicPartition, Long> committedInKafka(KafkaPipeline pipeline) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = cluster.admin()
                    .listConsumerGroupOffsets(pipeline.settings.groupId()).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> plain = new HashMap<>();
            offsets.forEach((p, o) -> plain.put(p, o.offset()));
            return plain;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aConsumerRestartedWithoutACleanCommitResumesFromTheStoresPositions() throws Exception {
        KafkaPipeline pipeline = pipeline("restart", 3);
        List<Reading> readings = SimulatedReadings.generate(2, 200, 40_000);
        List<Reading> firstHalf = readings.subList(0, 20_000);
        List<Reading> secondHalf = readings.subList(20_000, readings.size());
        pipeline.publish(firstHalf);

        // the first consumer stores part of the stream, holds one more batch it never writes, and is closed
        KafkaReadingSource first = pipeline.source("restart-1");
        IngestLoop firstLoop = new IngestLoop(first, pipeline.ingest, IngestObserver.NONE, RunningLoop.FAST_BACKOFF,
                Duration.ofMillis(200));
        first.start(pipeline.store);
        while (pipeline.messagesStored() < 6_000) {
            firstLoop.runOnce();
        }
        SourceBatch neverWritten = SourceBatch.EMPTY;
        while (neverWritten.isEmpty()) {
            neverWritten = first.poll(Duration.ofSeconds(1));
        }
        first.close();

        // Kafka's group offsets now say everything was consumed (as an auto-committing consumer would
        // leave them): a source that trusted them would lose the rest of the stream
        Map<TopicPartition, OffsetAndMetadata> atTheEnd = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            atTheEnd.put(new TopicPartition(pipeline.settings.topic(), p), new OffsetAndMetadata(1_000_000));
        }
        cluster.admin().alterConsumerGroupOffsets(pipeline.settings.groupId(), atTheEnd).all().get(30, TimeUnit.SECONDS);
        Map<StreamPartition, Long> atRestart = pipeline.storedPositions();
        long storedAtRestart = pipeline.messagesStored();
        assertTrue(storedAtRestart < firstHalf.size());

        // the second consumer starts while the rest of the stream is being published
        CommittedLog log = new CommittedLog();
        try (RunningLoop loop = RunningLoop.start("restart-2", pipeline.source("restart-2"), pipeline.ingest, log)) {
            pipeline.publish(secondHalf);
            pipeline.awaitStored(readings.size(), Duration.ofSeconds(90));
            loop.assertRunning();
        }
        pipeline.assertExactlyOnce(readings);
        assertEquals(0, log.staleBatches(), "the new consumer started where the store was, not elsewhere");
        Map<StreamPartition, Long> firstFrom = new HashMap<>();
        for (PartitionRange range : log.ranges()) {
            firstFrom.putIfAbsent(range.partition(), range.fromOffset());
        }
        Map<StreamPartition, Long> expectedFrom = new HashMap<>();
        pipeline.partitions().forEach(p -> expectedFrom.put(p, atRestart.getOrDefault(p, 0L)));
        assertEquals(expectedFrom, firstFrom, "the restarted consumer's first offsets are the store's positions");
        assertEquals(readings.size() - storedAtRestart, log.readings());
    }

    /** Both group protocols: the classic one (the default) and KIP-848's "consumer" protocol. */
    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void twoConsumersInOneGroupLoseAndDuplicateNothingAcrossRebalances(String groupProtocol) throws Exception {
        KafkaPipeline pipeline = pipeline("rebalance-" + groupProtocol, 3)
                .withClientProperties(groupProtocol.equals("classic")
                        ? Map.of("group.protocol", "classic", "heartbeat.interval.ms", "500")
                        : Map.of("group.protocol", "consumer"));
        List<Reading> readings = SimulatedReadings.generate(3, 300, 60_000);
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(pipeline.settings)) {
                for (int from = 0; from < readings.size(); from += 1_000) {
                    KafkaPipeline.publish(publisher, readings.subList(from, from + 1_000));
                    published.addAndGet(1_000);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        CommittedLog logA = new CommittedLog();
        CommittedLog logB = new CommittedLog();
        RunningLoop a = RunningLoop.start("consumer-a", pipeline.source("consumer-a"), pipeline.ingest, logA);
        pipeline.awaitStored(5_000, Duration.ofSeconds(60));
        int publishedWhenBJoined;
        try (RunningLoop b = RunningLoop.start("consumer-b", pipeline.source("consumer-b"), pipeline.ingest, logB)) {
            publishedWhenBJoined = published.get();
            Await.until(Duration.ofSeconds(60), () -> logB.readings() > 0, () -> "consumer B to get partitions and store readings");
            long aBefore = logA.readings();
            Await.until(Duration.ofSeconds(60), () -> logA.readings() > aBefore || publishing.isDone(),
                    () -> "consumer A to go on after the rebalance");
            // A leaves mid-stream as well: B takes over its partitions from the store's positions
            a.close();
            publishing.get(2, TimeUnit.MINUTES);
            pipeline.awaitStored(readings.size(), Duration.ofSeconds(90));
            b.assertRunning();
        } finally {
            a.close();
        }
        assertTrue(publishedWhenBJoined < readings.size(), "B joined mid-stream");
        pipeline.assertExactlyOnce(readings);
        assertTrue(logA.readings() > 0 && logB.readings() > 0, "both consumers stored readings");
        assertEquals(readings.size(), logA.readings() + logB.readings() + 0L);
    }

    @Test
    void whileTheStoreIsDownNothingIsReadAndNothingFallsBackToKafkasOffsets() throws Exception {
        KafkaPipeline pipeline = pipeline("outage", 3);
        List<Reading> readings = SimulatedReadings.generate(4, 30, 4_000);
        pipeline.publish(readings.subList(0, 2_000));
        Map<TopicPartition, OffsetAndMetadata> atTheEnd = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            atTheEnd.put(new TopicPartition(pipeline.settings.topic(), p), new OffsetAndMetadata(2_000));
        }
        cluster.admin().alterConsumerGroupOffsets(pipeline.settings.groupId(), atTheEnd).all().get(30, TimeUnit.SECONDS);

        pipeline.faults.setAvailable(false);
        CommittedLog log = new CommittedLog();
        try (RunningLoop loop = RunningLoop.start("outage", pipeline.source("outage"), pipeline.ingest, log)) {
            Thread.sleep(2_000);
            assertTrue(log.batches().isEmpty(), "nothing can be committed while the store is down");
            loop.assertRunning();
            pipeline.faults.setAvailable(true);
            pipeline.awaitStored(2_000, Duration.ofSeconds(30));

            // writes that fail mid-stream: the loop pauses the source, retries the same batch, resumes
            pipeline.faults.failNextWrites(4);
            pipeline.publish(readings.subList(2_000, 4_000));
            pipeline.awaitStored(4_000, Duration.ofSeconds(60));
            loop.assertRunning();
        }
        pipeline.assertExactlyOnce(readings);
        assertTrue(log.storeFailures() >= 4, "store failures seen: " + log.storeFailures());
        assertEquals(0, log.staleBatches());
    }

    @Test
    void pauseStopsDeliveryResumeGoesOnAndRewindReadsAgainFromTheStore() throws Exception {
        KafkaPipeline pipeline = pipeline("controls", 1);
        List<Reading> readings = SimulatedReadings.generate(5, 10, 100);
        pipeline.publish(readings);
        try (KafkaReadingSource source = pipeline.source("controls")) {
            source.start(pipeline.store);
            SourceBatch first = pollUntilNotEmpty(source);
            assertEquals(0, first.ranges().getFirst().fromOffset(), "an unknown partition starts at the beginning");

            source.rewind();
            SourceBatch again = pollUntilNotEmpty(source);
            assertEquals(first.records().getFirst().offset(), again.records().getFirst().offset(),
                    "after a rewind the same messages come again");

            assertInstanceOf(WriteOutcome.Committed.class, pipeline.ingest.ingest(again));
            source.committed(again);
            source.pause();
            for (int i = 0; i < 3; i++) {
                assertTrue(source.poll(Duration.ofMillis(300)).isEmpty(), "a paused source delivers nothing");
            }
            source.resume();
            long next = again.ranges().getFirst().nextOffset();
            if (next < readings.size()) {
                SourceBatch after = pollUntilNotEmpty(source);
                assertEquals(next, after.ranges().getFirst().fromOffset(), "resume goes on where it stopped");
            }
        }
    }

    @Test
    void theGenerationChangesWithEveryRepositioningAndRebalanceButNotWithPauseOrPolling() throws Exception {
        KafkaPipeline pipeline = pipeline("generation", 2);
        pipeline.publish(SimulatedReadings.generate(14, 40, 4_000));
        try (KafkaReadingSource a = pipeline.withMaxPollRecords(50).source("generation-a");
             KafkaReadingSource b = pipeline.withMaxPollRecords(50).source("generation-b")) {
            a.start(pipeline.store);
            long first = pollUntilNotEmpty(a).generation();
            assertEquals(first, pollUntilNotEmpty(a).generation(), "polling on keeps the generation");
            a.pause();
            a.poll(Duration.ofMillis(100));
            a.resume();
            assertEquals(first, pollUntilNotEmpty(a).generation(), "pause and resume keep it");

            a.rewind();
            long rewound = pollUntilNotEmpty(a).generation();
            assertTrue(rewound != first, "a rewind re-reads from the store: a new generation");

            // another member joins: a partition moves, and what a reads next is of a new generation
            b.start(pipeline.store);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long afterRebalance = rewound;
            boolean bGotSome = false;
            while ((afterRebalance == rewound || !bGotSome) && System.nanoTime() < deadline) {
                SourceBatch fromA = a.poll(Duration.ofMillis(100));
                if (!fromA.isEmpty()) {
                    afterRebalance = fromA.generation();
                }
                bGotSome |= !b.poll(Duration.ofMillis(100)).isEmpty();
            }
            assertTrue(bGotSome, "b was given a partition");
            assertTrue(afterRebalance != rewound, "a's batches after the rebalance are of a new generation");
        }
    }

    static SourceBatch pollUntilNotEmpty(KafkaReadingSource source) {
        for (int i = 0; i < 100; i++) {
            SourceBatch batch = source.poll(Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        throw new AssertionError("no batch within 20 s");
    }

    @Test
    void aPositionRemovedByRetentionIsSkippedAndOneBeyondTheLogStopsTheLoopWithAReason() throws Exception {
        KafkaPipeline pipeline = pipeline("retention", 1);
        List<Reading> readings = SimulatedReadings.generate(6, 10, 100);
        pipeline.publish(readings);
        StreamPartition partition = pipeline.partitions().getFirst();
        pipeline.store.write(new StoreBatch(List.of(), List.of(), List.of(new PartitionRange(partition, 0, 40))));
        cluster.admin().deleteRecords(Map.of(new TopicPartition(partition.topic(), 0), RecordsToDelete.beforeOffset(60)))
                .all().get(30, TimeUnit.SECONDS);
        KafkaReadingSource retained = pipeline.source("retention");
        try (RunningLoop loop = RunningLoop.start("retention", retained, pipeline.ingest, IngestObserver.NONE)) {
            Await.until(Duration.ofSeconds(30), () -> pipeline.storedPositions().get(partition) == 100,
                    () -> "the store to reach offset 100, at " + pipeline.storedPositions());
            loop.assertRunning();
        }
        assertEquals(List.copyOf(readings.subList(60, 100)).stream().collect(Collectors.toSet()),
                pipeline.database.allReadings().stream().collect(Collectors.toSet()), "40..59 are gone, 60..99 are stored");
        PipelineCounters counters = pipeline.database.queries().counters();
        assertEquals(1, counters.gaps(), "the gap is recorded: " + counters.recentGaps());
        assertEquals(20, counters.skippedMessages());
        StreamGap gap = counters.recentGaps().getFirst();
        assertEquals(List.of(partition, 40L, 60L, StreamGap.Reason.REMOVED_BEFORE_READ),
                List.of(gap.partition(), gap.fromOffset(), gap.toOffset(), gap.reason()));
        assertEquals(List.of(1L, 20L), List.of(retained.gapsRecorded(), retained.messagesSkipped()), "counted by the source");

        KafkaPipeline ahead = pipeline("ahead", 1);
        ahead.publish(readings.subList(0, 10));
        StreamPartition aheadPartition = ahead.partitions().getFirst();
        ahead.store.write(new StoreBatch(List.of(), List.of(), List.of(new PartitionRange(aheadPartition, 0, 500))));
        try (KafkaReadingSource source = ahead.source("ahead")) {
            IngestLoop loop = new IngestLoop(source, ahead.ingest, IngestObserver.NONE, RunningLoop.FAST_BACKOFF,
                    Duration.ofMillis(200));
            source.start(ahead.store);
            HeartbeatException stopped = assertThrows(HeartbeatException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    loop.runOnce();
                }
            });
            assertTrue(stopped.getMessage().contains("beyond the end of the log"), stopped.getMessage());
            assertFalse(ahead.database.allReadings().stream().findAny().isPresent(), "nothing was stored");
        }
    }

    @Test
    void retentionShortenedBelowTheBacklogLeavesARecordedGapAndReadingGoesOnFromTheLogStart() throws Exception {
        KafkaPipeline pipeline = pipeline("shortened", 1);
        StreamPartition partition = pipeline.partitions().getFirst();
        TopicPartition topicPartition = new TopicPartition(partition.topic(), 0);
        // segments that roll on the first append 200 ms after they began, so that a backlog spans two of them
        alterTopic(pipeline, Map.of("segment.ms", "200"));
        List<Reading> readings = SimulatedReadings.generate(9, 10, 200);
        pipeline.publish(readings.subList(0, 100));
        try (RunningLoop loop = RunningLoop.start("shortened", pipeline.source("shortened-1"), pipeline.ingest,
                IngestObserver.NONE)) {
            pipeline.awaitStored(100, Duration.ofSeconds(30));
            loop.assertRunning();
        }
        pipeline.publish(readings.subList(100, 150)); // the backlog: published while no consumer runs
        Thread.sleep(400);
        // the next ones roll the segment holding 0..149, and carry a timestamp 30 minutes ahead, so that a
        // retention of 1 ms removes the old segment and keeps theirs (retention goes by record timestamps)
        long ahead = System.currentTimeMillis() + Duration.ofMinutes(30).toMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                pipeline.settings.bootstrapServers(), "acks", "all"), new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (Reading reading : readings.subList(150, 200)) {
                producer.send(new ProducerRecord<>(partition.topic(), 0, ahead,
                        reading.customerId().value().getBytes(StandardCharsets.UTF_8), ReadingJsonCodec.encode(reading))).get();
            }
        }
        alterTopic(pipeline, Map.of("retention.ms", "1"));
        Await.until(Duration.ofSeconds(30), () -> logStart(topicPartition) == 150,
                () -> "retention to remove offsets up to 149, log start at " + logStart(topicPartition));
        alterTopic(pipeline, Map.of("retention.ms", "604800000"));

        KafkaReadingSource source = pipeline.source("shortened-2");
        try (RunningLoop loop = RunningLoop.start("shortened", source, pipeline.ingest, IngestObserver.NONE)) {
            Await.until(Duration.ofSeconds(30), () -> pipeline.storedPositions().get(partition) == 200,
                    () -> "the store to reach offset 200, at " + pipeline.storedPositions());
            loop.assertRunning();
        }
        PipelineCounters counters = pipeline.database.queries().counters();
        assertEquals(List.of(1L, 50L), List.of(counters.gaps(), counters.skippedMessages()), "the backlog 100..149 is a gap");
        StreamGap gap = counters.recentGaps().getFirst();
        assertEquals(List.of(100L, 150L, StreamGap.Reason.REMOVED_BEFORE_READ),
                List.of(gap.fromOffset(), gap.toOffset(), gap.reason()));
        assertEquals(150, counters.stored(), "0..99 and 150..199 stored");
        assertEquals(List.of(1L, 50L), List.of(source.gapsRecorded(), source.messagesSkipped()));
    }

    private static void alterTopic(KafkaPipeline pipeline, Map<String, String> configs) throws Exception {
        org.apache.kafka.common.config.ConfigResource topic = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, pipeline.settings.topic());
        List<org.apache.kafka.clients.admin.AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry(e.getKey(), e.getValue()),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))
                .toList();
        cluster.admin().incrementalAlterConfigs(Map.of(topic, ops)).all().get(30, TimeUnit.SECONDS);
    }

    private static long logStart(TopicPartition partition) {
        try {
            return cluster.admin().listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                    .partitionResult(partition).get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTopicDeletedAndRefilledStopsTheLoopUnlessTheOperatorAllowsReadingTheNewOneFromItsStart() throws Exception {
        KafkaPipeline pipeline = pipeline("replaced", 1);
        List<Reading> readings = SimulatedReadings.generate(8, 10, 250);
        List<Reading> before = readings.subList(0, 100);
        List<Reading> after = readings.subList(100, 250);
        pipeline.publish(before);
        try (RunningLoop loop = RunningLoop.start("replaced", pipeline.source("replaced-1"), pipeline.ingest,
                IngestObserver.NONE)) {
            pipeline.awaitStored(100, Duration.ofSeconds(30));
            loop.assertRunning();
        }
        String topic = pipeline.settings.topic();
        cluster.admin().deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(60), () -> recreated(pipeline.settings), () -> "topic " + topic + " made again");
        // refilled past the stored position 100: offsets 100..149 of the new topic would be read as if 0..99 were stored
        pipeline.publish(after);

        try (RunningLoop refused = RunningLoop.start("replaced", pipeline.source("replaced-2"), pipeline.ingest,
                IngestObserver.NONE)) {
            Throwable stopped = refused.awaitFailure(Duration.ofSeconds(60));
            assertInstanceOf(HeartbeatException.class, stopped);
            assertTrue(stopped.getMessage().startsWith("the stored positions of topic " + topic + " belong to topic id ")
                    && stopped.getMessage().contains("it was deleted and made again")
                    && stopped.getMessage().contains("--replace-topic"), stopped.getMessage());
        }
        assertEquals(100, pipeline.messagesStored(), "nothing read from the new topic");

        KafkaReadingSource replacing = new KafkaReadingSource(pipeline.settings.withGroup(pipeline.settings.groupId(),
                "replaced-3"), RunningLoop.FAST_BACKOFF, true);
        try (RunningLoop loop = RunningLoop.start("replaced", replacing, pipeline.ingest, IngestObserver.NONE)) {
            pipeline.awaitStored(250, Duration.ofSeconds(30));
            loop.assertRunning();
        }
        pipeline.assertExactlyOnce(readings);
        PipelineCounters counters = pipeline.database.queries().counters();
        assertEquals(1, counters.gaps());
        StreamGap gap = counters.recentGaps().getFirst();
        assertEquals(List.of(100L, 100L, StreamGap.Reason.TOPIC_REPLACED), List.of(gap.fromOffset(), gap.toOffset(), gap.reason()),
                "the old topic's rest from its stored position on, of unknown extent");
        assertEquals(150L, pipeline.storedPositions().get(pipeline.partitions().getFirst()), "the new topic read from 0");
    }

    /** Whether the (deleted) topic of {@code settings} could be made again and is ready. */
    private static boolean recreated(KafkaSettings settings) {
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings.withAdminTimeout(Duration.ofSeconds(5)))) {
            admin.ensureTopic();
            return true;
        } catch (HeartbeatException stillBeingDeleted) {
            return false;
        }
    }

    @Test
    void consumerLagIsTheLogEndMinusTheStoredPosition() throws Exception {
        KafkaPipeline pipeline = pipeline("lag", 3);
        List<Reading> readings = SimulatedReadings.generate(7, 40, 3_000);
        pipeline.publish(readings);
        try (KafkaConsumerLag lag = new KafkaConsumerLag(pipeline.settings, pipeline.store)) {
            List<ConsumerLag.PartitionLag> before = lag.lag();
            assertEquals(pipeline.partitions(), before.stream().map(ConsumerLag.PartitionLag::partition).toList());
            assertEquals(readings.size(), before.stream().mapToLong(ConsumerLag.PartitionLag::lag).sum());
            before.forEach(p -> assertEquals(0, p.storedOffset(), "nothing stored yet: counts from the log start"));

            try (RunningLoop loop = RunningLoop.start("lag", pipeline.source("lag"), pipeline.ingest, IngestObserver.NONE)) {
                pipeline.awaitStored(readings.size(), Duration.ofSeconds(60));
                loop.assertRunning();
            }
            List<ConsumerLag.PartitionLag> after = lag.lag();
            after.forEach(p -> {
                assertEquals(0, p.lag(), p::toString);
                assertEquals(pipeline.storedPositions().get(p.partition()), p.storedOffset());
            });
            assertEquals(readings.size(), after.stream().mapToLong(ConsumerLag.PartitionLag::endOffset).sum());
        }
    }

    /** One bad message of the corpus and the reason it must be rejected with. */
    /**
     * A producer that keys some of one customer's readings by a device lands them on another partition,
     * read by another ingest loop with an alert engine of its own; those readings are key_mismatch
     * rejects, so one engine judges the customer: a sustained tachycardia is one alert, delivered once.
     */
    @Test
    void oneCustomerUnderTwoKeysOnTwoPartitionsAndTwoLoopsIsOneAlert() throws Exception {
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, "two-keys", 2, (short) 1, 1);
        byte[] customerKey = "cust-keys".getBytes(StandardCharsets.US_ASCII);
        byte[] deviceKey = null;
        for (int i = 0; deviceKey == null; i++) {
            byte[] candidate = ("device-" + i).getBytes(StandardCharsets.US_ASCII);
            if (partitionOf(candidate, 2) != partitionOf(customerKey, 2)) {
                deviceKey = candidate;
            }
        }
        int readings = 120;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<>(KafkaClientConfigs.producer(pipeline.settings)))) {
            for (int i = 0; i < readings; i++) {
                Reading reading = new Reading(dev.heartbeat.core.reading.CustomerId.of("cust-keys"),
                        SimulatedReadings.START.plusSeconds(i), 230, dev.heartbeat.core.reading.Activity.NORMAL);
                producer.send(new ProducerRecord<>(pipeline.settings.topic(), i % 2 == 0 ? customerKey : deviceKey,
                        ReadingJsonCodec.encode(reading))).get(30, TimeUnit.SECONDS);
            }
        }
        Ingest first = pipeline.ingest.withAlerts(dev.heartbeat.core.alert.AlertEngine.withDefaults(), pipeline.database.alerts());
        Ingest second = pipeline.ingest.withAlerts(dev.heartbeat.core.alert.AlertEngine.withDefaults(), pipeline.database.alerts());
        try (RunningLoop a = RunningLoop.start("keys-a", pipeline.source("keys-a"), first, IngestObserver.NONE);
             RunningLoop b = RunningLoop.start("keys-b", pipeline.source("keys-b"), second, IngestObserver.NONE)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pipeline.messagesStored() < readings && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        assertEquals(readings, pipeline.messagesStored());
        assertEquals(readings / 2, pipeline.database.queries().counters().stored(), "the readings under the customer's own key");
        assertEquals(Map.of(RejectReason.KEY_MISMATCH, (long) readings / 2),
                pipeline.database.queries().counters().rejectsByReason().entrySet().stream().filter(e -> e.getValue() > 0)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "the device's, counted by reason");
        assertEquals(1, pipeline.database.alerts().active(10).size(), "one alert for one condition");
        assertEquals(1, pipeline.database.outbox().due(SimulatedReadings.START.plus(Duration.ofDays(1)), 100).stream()
                .filter(d -> d.transition().kind() == dev.heartbeat.core.alert.AlertTransition.Kind.FIRED).count(), "delivered once");
    }

    /** The partition Kafka's default partitioner gives {@code key} among {@code partitions}. */
    static int partitionOf(byte[] key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % partitions;
    }

    /** A bad message, sent under {@code key} (its customer_id, as a producer should, unless the case is about keys). */
    record Poison(String what, byte[] value, RejectReason reason, byte[] key) {
        static final byte[] CUSTOMER_KEY = "cust-poison".getBytes(StandardCharsets.US_ASCII);

        static Poison of(String what, String json, RejectReason reason) {
            return new Poison(what, json.getBytes(StandardCharsets.UTF_8), reason, CUSTOMER_KEY);
        }

        static Poison keyed(String what, String json, byte[] key) {
            return new Poison(what, json.getBytes(StandardCharsets.UTF_8), RejectReason.KEY_MISMATCH, key);
        }
    }

    static String message(String customerId, String timestamp, String heartRate, String state) {
        StringBuilder json = new StringBuilder("{");
        if (customerId != null) {
            json.append("\"customer_id\":").append(customerId).append(',');
        }
        if (timestamp != null) {
            json.append("\"timestamp\":").append(timestamp).append(',');
        }
        if (heartRate != null) {
            json.append("\"heart_rate\":").append(heartRate).append(',');
        }
        if (state != null) {
            json.append("\"state\":").append(state).append(',');
        }
        if (json.length() > 1) {
            json.setLength(json.length() - 1);
        }
        return json.append('}').toString();
    }

    static List<Poison> poisonCorpus() {
        String id = "\"cust-poison\"";
        String ts = "\"" + SimulatedReadings.START.plusSeconds(5) + "\"";
        String future = "\"" + SimulatedReadings.CLOCK.instant().plus(Duration.ofHours(1)) + "\"";
        String old = "\"" + SimulatedReadings.CLOCK.instant().minus(Duration.ofDays(31)) + "\"";
        String valid = message(id, ts, "72", "\"rest\"");
        byte[] notUtf8 = valid.getBytes(StandardCharsets.UTF_8);
        notUtf8[17] = (byte) 0xFF;
        byte[] surrogate = message("\"cust-XXX\"", ts, "72", "\"rest\"").getBytes(StandardCharsets.UTF_8);
        int at = new String(surrogate, StandardCharsets.UTF_8).indexOf("XXX");
        surrogate[at] = (byte) 0xED;
        surrogate[at + 1] = (byte) 0xA0;
        surrogate[at + 2] = (byte) 0x80;
        byte[] overlong = valid.getBytes(StandardCharsets.UTF_8);
        overlong[1] = (byte) 0xC0;
        overlong[2] = (byte) 0xA2;
        return List.of(
                new Poison("a null value (tombstone)", null, RejectReason.NULL_MESSAGE, Poison.CUSTOMER_KEY),
                new Poison("70,000 bytes", (valid + " ".repeat(70_000)).getBytes(StandardCharsets.UTF_8), RejectReason.TOO_LARGE, Poison.CUSTOMER_KEY),
                new Poison("an 0xFF byte", notUtf8, RejectReason.NOT_UTF8, Poison.CUSTOMER_KEY),
                new Poison("an encoded UTF-16 surrogate", surrogate, RejectReason.NOT_UTF8, Poison.CUSTOMER_KEY),
                new Poison("an overlong encoding", overlong, RejectReason.NOT_UTF8, Poison.CUSTOMER_KEY),
                Poison.of("not JSON", "heart rate 72", RejectReason.MALFORMED_JSON),
                Poison.of("an empty value", "", RejectReason.MALFORMED_JSON),
                Poison.of("a truncated object", valid.substring(0, valid.length() - 5), RejectReason.MALFORMED_JSON),
                Poison.of("trailing garbage", valid + " trailing", RejectReason.MALFORMED_JSON),
                Poison.of("two objects", valid + valid, RejectReason.MALFORMED_JSON),
                Poison.of("a duplicate heart_rate", valid.replace("}", ",\"heart_rate\":180}"), RejectReason.MALFORMED_JSON),
                Poison.of("an array", "[" + valid + "]", RejectReason.NOT_AN_OBJECT),
                Poison.of("a number", "72", RejectReason.NOT_AN_OBJECT),
                Poison.of("a JSON null", "null", RejectReason.NOT_AN_OBJECT),
                Poison.of("no customer_id", message(null, ts, "72", "\"rest\""), RejectReason.MISSING_CUSTOMER_ID),
                Poison.of("a null customer_id", message("null", ts, "72", "\"rest\""), RejectReason.MISSING_CUSTOMER_ID),
                Poison.of("no timestamp", message(id, null, "72", "\"rest\""), RejectReason.MISSING_TIMESTAMP),
                Poison.of("no heart_rate", message(id, ts, null, "\"rest\""), RejectReason.MISSING_HEART_RATE),
                Poison.of("a null heart_rate", message(id, ts, "null", "\"rest\""), RejectReason.MISSING_HEART_RATE),
                Poison.of("no state", message(id, ts, "72", null), RejectReason.MISSING_STATE),
                Poison.of("a numeric customer_id", message("42", ts, "72", "\"rest\""), RejectReason.BAD_CUSTOMER_ID),
                Poison.of("a customer_id with a space", message("\"bad id\"", ts, "72", "\"rest\""), RejectReason.BAD_CUSTOMER_ID),
                Poison.of("a 51-character customer_id", message("\"" + "c".repeat(51) + "\"", ts, "72", "\"rest\""),
                        RejectReason.BAD_CUSTOMER_ID),
                Poison.keyed("a good reading without a key (as the original producer sent them)", message(id, ts, "72", "\"rest\""), null),
                Poison.keyed("a good reading keyed by its device", message(id, ts, "72", "\"rest\""),
                        "device-7f3a".getBytes(StandardCharsets.US_ASCII)),
                Poison.of("the customer_id \"..\", a path step in a URL", message("\"..\"", ts, "72", "\"rest\""),
                        RejectReason.RESERVED_CUSTOMER_ID),
                Poison.of("a word for a timestamp", message(id, "\"yesterday\"", "72", "\"rest\""), RejectReason.BAD_TIMESTAMP),
                Poison.of("a timestamp without offset", message(id, "\"2026-11-29T08:00:00\"", "72", "\"rest\""),
                        RejectReason.BAD_TIMESTAMP),
                Poison.of("an epoch number timestamp", message(id, "1795939200", "72", "\"rest\""), RejectReason.BAD_TIMESTAMP),
                Poison.of("a timestamp an hour ahead", message(id, future, "72", "\"rest\""), RejectReason.TIMESTAMP_IN_FUTURE),
                Poison.of("a 31-day-old timestamp", message(id, old, "72", "\"rest\""), RejectReason.TOO_OLD),
                Poison.of("a string heart_rate", message(id, ts, "\"72\"", "\"rest\""), RejectReason.NOT_AN_INTEGER),
                Poison.of("a fractional heart_rate", message(id, ts, "72.5", "\"rest\""), RejectReason.NOT_AN_INTEGER),
                Poison.of("a boolean heart_rate", message(id, ts, "true", "\"rest\""), RejectReason.NOT_AN_INTEGER),
                Poison.of("an object heart_rate", message(id, ts, "{\"bpm\":72}", "\"rest\""), RejectReason.NOT_AN_INTEGER),
                Poison.of("heart_rate 300", message(id, ts, "300", "\"rest\""), RejectReason.HEART_RATE_OUT_OF_RANGE),
                Poison.of("heart_rate 29", message(id, ts, "29", "\"rest\""), RejectReason.HEART_RATE_OUT_OF_RANGE),
                Poison.of("heart_rate -72", message(id, ts, "-72", "\"rest\""), RejectReason.HEART_RATE_OUT_OF_RANGE),
                Poison.of("heart_rate 1e999", message(id, ts, "1e999", "\"rest\""), RejectReason.HEART_RATE_OUT_OF_RANGE),
                Poison.of("an unknown state", message(id, ts, "72", "\"sleeping\""), RejectReason.UNKNOWN_STATE),
                Poison.of("an upper-case state", message(id, ts, "72", "\"REST\""), RejectReason.UNKNOWN_STATE),
                Poison.of("a numeric state", message(id, ts, "72", "1"), RejectReason.UNKNOWN_STATE));
    }

    @Test
    void aPoisonCorpusBecomesRejectsWithTheirReasonsAmongStoredReadingsAndTheLoopGoesOn() throws Exception {
        KafkaPipeline pipeline = pipeline("poison", 3);
        List<Poison> corpus = poisonCorpus();
        assertEquals(EnumSet.allOf(RejectReason.class), corpus.stream().map(Poison::reason)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class))), "the corpus covers every reason");
        List<Reading> good = SimulatedReadings.generate(8, 20, corpus.size() * 3 + 1);
        Map<String, RejectReason> expected = new HashMap<>();
        Map<String, byte[]> sentValues = new HashMap<>();
        Map<String, String> described = new HashMap<>();
        Map<String, Object> config = new HashMap<>(KafkaClientConfigs.producer(pipeline.settings));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            int next = 0;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < corpus.size(); i++) {
                    Reading reading = good.get(next++);
                    producer.send(new ProducerRecord<>(pipeline.settings.topic(),
                            reading.customerId().value().getBytes(StandardCharsets.US_ASCII), ReadingJsonCodec.encode(reading)));
                    Poison poison = corpus.get(i);
                    RecordMetadata sent = producer.send(new ProducerRecord<>(pipeline.settings.topic(), poison.key(), poison.value()))
                            .get(30, TimeUnit.SECONDS);
                    String position = sent.partition() + "@" + sent.offset();
                    expected.put(position, poison.reason());
                    sentValues.put(position, poison.value());
                    described.put(position, poison.what());
                }
            }
            producer.flush();
        }
        List<Reading> goodSent = good.subList(0, good.size() - 1);
        CommittedLog log = new CommittedLog();
        try (RunningLoop loop = RunningLoop.start("poison", pipeline.source("poison"), pipeline.ingest, log)) {
            pipeline.awaitStored(goodSent.size() + expected.size(), Duration.ofSeconds(60));
            loop.assertRunning();
            // and takes the next good reading as if nothing happened
            pipeline.publish(List.of(good.getLast()));
            pipeline.awaitStored(goodSent.size() + expected.size() + 1, Duration.ofSeconds(30));
            loop.assertRunning();
        }
        pipeline.assertExactlyOnce(good, expected.size());
        Map<String, RejectReason> rejected = new HashMap<>();
        for (RejectedMessage reject : log.rejects()) {
            String position = reject.partition().partition() + "@" + reject.offset();
            rejected.put(position, reject.reason());
            byte[] sent = sentValues.get(position);
            int size = sent == null ? 0 : sent.length;
            assertEquals(size, reject.payloadSize(), () -> "payload size of " + described.get(position));
            assertArrayEquals(sent == null ? new byte[0] : Arrays.copyOf(sent, Math.min(size, RejectedMessage.MAX_PAYLOAD_BYTES)),
                    reject.payload(), () -> "payload of " + described.get(position));
            assertFalse(reject.detail().isBlank());
        }
        for (Map.Entry<String, RejectReason> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), rejected.get(entry.getKey()), () -> described.get(entry.getKey()));
        }
        assertEquals(expected, rejected);
    }
}
