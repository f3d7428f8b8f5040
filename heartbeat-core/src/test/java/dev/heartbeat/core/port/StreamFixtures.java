package dev.heartbeat.core.port;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.core.validation.ValidationResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** Readings, positions and reading helpers for the source and publisher contracts. */
public final class StreamFixtures {

    /** The most messages a {@link TestStream}'s source takes in one poll: small, so that a test sees many batches. */
    public static final int MAX_BATCH = 50;
    public static final Instant START = Instant.parse("2026-11-29T08:00:00Z");
    /** A validator clock a day after {@link #START}: every reading of {@link #readings} is valid against it. */
    public static final Clock CLOCK = Clock.fixed(START.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    private static final ReadingValidator VALIDATOR = new ReadingValidator(ValidationPolicy.defaults(), CLOCK);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private StreamFixtures() {
    }

    /** {@code perCustomer} readings of each of {@code customers} customers, one a second, the customers interleaved. */
    public static List<Reading> readings(int customers, int perCustomer) {
        List<Reading> readings = new ArrayList<>(customers * perCustomer);
        for (int second = 0; second < perCustomer; second++) {
            for (int c = 0; c < customers; c++) {
                readings.add(new Reading(CustomerId.of("cust-" + c), START.plusSeconds(second), 60 + (c * 7 + second) % 120,
                        Activity.values()[(c + second) % Activity.values().length]));
            }
        }
        return readings;
    }

    /** Publishes every reading and waits for each one's future, which must complete normally. */
    public static void publishAll(ReadingPublisher publisher, List<Reading> readings) {
        List<CompletableFuture<Void>> sent = new ArrayList<>(readings.size());
        for (Reading reading : readings) {
            sent.add(publisher.publish(reading));
        }
        awaitAll(sent);
    }

    /** Waits (bounded) for every future, which must complete normally. */
    public static void awaitAll(List<CompletableFuture<Void>> sent) {
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("a publish did not complete normally: " + e, e);
        }
    }

    /**
     * Positions that answer from {@code stored} as it is at each call (absent partitions stay absent); a
     * gap skipped moves the position in {@code stored}, which must then be mutable.
     */
    public static StreamPositions positions(Map<StreamPartition, Long> stored) {
        Map<StreamPartition, Long> positions = stored;
        Map<String, String> topicIds = new HashMap<>();
        return new StreamPositions() {
            @Override
            public synchronized Map<StreamPartition, Long> positions(Collection<StreamPartition> asked) {
                Map<StreamPartition, Long> answer = new HashMap<>();
                for (StreamPartition partition : asked) {
                    Long next = positions.get(partition);
                    if (next != null) {
                        answer.put(partition, next);
                    }
                }
                return answer;
            }

            @Override
            public synchronized boolean skip(StreamGap gap) {
                positions.put(gap.partition(), gap.toOffset());
                return true;
            }

            @Override
            public synchronized TopicBinding bindTopic(String topic, String topicId, boolean replace, Instant now) {
                String known = topicIds.putIfAbsent(topic, topicId);
                return known == null || known.equals(topicId) ? new TopicBinding.Bound(topicId)
                        : new TopicBinding.Mismatch(known, topicId);
            }
        };
    }

    /** {@code positions}, whose {@link StreamPositions#positions} first runs {@code before} (which may throw). */
    public static StreamPositions askingFirst(StreamPositions positions, Runnable before) {
        return new StreamPositions() {
            @Override
            public Map<StreamPartition, Long> positions(Collection<StreamPartition> asked) {
                before.run();
                return positions.positions(asked);
            }

            @Override
            public boolean skip(StreamGap gap) {
                return positions.skip(gap);
            }

            @Override
            public TopicBinding bindTopic(String topic, String topicId, boolean replace, Instant now) {
                return positions.bindTopic(topic, topicId, replace, now);
            }
        };
    }

    /** Positions of a store that knows no partition yet. */
    public static StreamPositions nothingStored() {
        return positions(Map.of());
    }

    /** Polls until a batch with records comes (at most a minute) and returns it. */
    public static SourceBatch nextBatch(ReadingSource source) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            SourceBatch batch = source.poll(POLL);
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        return fail("no batch within " + PATIENCE);
    }

    /** The batches with records that come until {@code messages} messages came (at most a minute). */
    public static List<SourceBatch> batches(ReadingSource source, int messages) {
        List<SourceBatch> batches = new ArrayList<>();
        int read = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (read < messages) {
            if (System.nanoTime() - deadline > 0) {
                fail(messages + " messages within " + PATIENCE + ", got " + read);
            }
            SourceBatch batch = source.poll(POLL);
            if (!batch.isEmpty()) {
                batches.add(batch);
                read += batch.size();
            }
        }
        return batches;
    }

    /** The records of {@code batches}, in order. */
    public static List<SourceRecord> records(List<SourceBatch> batches) {
        return batches.stream().flatMap(b -> b.records().stream()).toList();
    }

    /** The reading a record's message validates to; fails when it is not a valid reading. */
    public static Reading reading(SourceRecord record) {
        ValidationResult result = VALIDATOR.validate(record.message());
        return assertInstanceOf(ValidationResult.Valid.class, result, () -> record.partition() + "@" + record.offset())
                .reading();
    }

    /** The readings of {@code records}, in order. */
    public static List<Reading> readings(List<SourceRecord> records) {
        return records.stream().map(StreamFixtures::reading).toList();
    }
}
