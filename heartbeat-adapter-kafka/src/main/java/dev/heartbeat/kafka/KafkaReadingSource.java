package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.StreamPositions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest loop's view of the readings topic: a Kafka consumer in the settings' group, driven by
 * {@link dev.heartbeat.core.ingest.IngestLoop} from one thread.
 *
 * <p>Exactly-once lives in the store, so where to read from always comes from
 * {@link StreamPositions#positions}, never from Kafka's committed offsets. Every partition this consumer
 * is given starts <em>unpositioned</em> and paused; before each poll the source asks the store for the
 * positions of the unpositioned partitions, seeks there (a partition the store does not know starts at
 * the beginning of the log) and resumes them. While the store cannot answer they stay paused and are
 * asked for again, with capped back-off, at later polls. {@link #rewind()} makes every partition
 * unpositioned again, which also discards whatever was prefetched.
 *
 * <p>Offsets are committed to Kafka after the store committed a batch (asynchronously, and once more,
 * synchronously, for the partitions a rebalance takes away), only so that lag tools show the truth;
 * nothing ever reads them back. A partition taken away by a rebalance may still be in a batch the loop
 * holds; if that batch is written after the new owner wrote the same messages, the store refuses it as
 * stale (its range starts before the stored position), so correctness does not depend on timing.
 *
 * <p>Each batch carries the source's assignment generation, which changes whenever partitions are
 * assigned, revoked, lost, or (re)positioned from the store (after a rewind, or once the store
 * answers again), so that state core keeps per customer (the alert engine's) is rebuilt from the store.
 *
 * <p>A stored position outside the log is never "reset" silently: below the log start (retention
 * removed unread messages) the source has the store record the gap and move the position past it in
 * one transaction ({@link StreamPositions#skip}), then goes on from the oldest message kept; beyond the
 * log end it stops the loop with a {@link HeartbeatException} naming the partition (see
 * {@code outOfRange}). Before positioning newly assigned partitions it binds the stored positions to the
 * topic's id ({@link StreamPositions#bindTopic}): positions of a topic deleted and made again under the
 * same name stop the loop with one line, unless the source was made to replace them. So does a cluster
 * that refuses the client's credentials (SASL) or TLS handshake, with a message that names the cluster
 * and the user (never the password).
 */
public final class KafkaReadingSource implements ReadingSource {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReadingSource.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HANDOVER_COMMIT_TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<byte[], CappedValue> consumer;
    private final Admin admin;
    private final Clock clock = Clock.systemUTC();
    private final boolean replaceTopic;
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong skippedMessages = new AtomicLong();
    private String boundTopicId;
    private final KafkaSettings settings;
    private final String topic;
    private final Backoff positionRetry;
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private final Map<TopicPartition, StreamPartition> partitions = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> storedPositions = new HashMap<>();
    private StreamPositions positions;
    private boolean paused;
    private int positionFailures;
    private long nextPositionAttempt;
    private long generation;

    /** A source reading the settings' topic as a member of the settings' consumer group. */
    public KafkaReadingSource(KafkaSettings settings) {
        this(settings, Backoff.DEFAULT);
    }

    /** As {@link #KafkaReadingSource(KafkaSettings)}, asking an unavailable store again after {@code positionRetry}. */
    public KafkaReadingSource(KafkaSettings settings, Backoff positionRetry) {
        this(settings, positionRetry, false);
    }

    /**
     * As {@link #KafkaReadingSource(KafkaSettings, Backoff)}; with {@code replaceTopic}, positions stored for
     * a topic of the same name that was deleted and made again are forgotten (each recorded as a gap) and
     * the new topic is read from its start, instead of stopping the loop.
     */
    public KafkaReadingSource(KafkaSettings settings, Backoff positionRetry, boolean replaceTopic) {
        Objects.requireNonNull(settings, "settings");
        this.positionRetry = Objects.requireNonNull(positionRetry, "positionRetry");
        this.replaceTopic = replaceTopic;
        this.consumer = new KafkaConsumer<>(KafkaClientConfigs.consumer(settings), new ByteArrayDeserializer(),
                new CappedValue.CappedDeserializer());
        Admin made;
        try {
            made = Admin.create(KafkaClientConfigs.admin(settings, "source"));
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        this.admin = made;
        this.settings = settings;
        this.topic = settings.topic();
    }

    /** Gaps this source had the store record (messages removed before they were read, a replaced topic). */
    public long gapsRecorded() {
        return gaps.get();
    }

    /** Messages those gaps skipped (a replaced topic's count no messages: how many there were is unknown). */
    public long messagesSkipped() {
        return skippedMessages.get();
    }

    @Override
    public void start(StreamPositions positions) {
        this.positions = Objects.requireNonNull(positions, "positions");
        consumer.subscribe(List.of(topic), new Rebalance());
    }

    @Override
    public SourceBatch poll(Duration timeout) {
        if (positions == null) {
            throw new IllegalStateException("start() the source before polling it");
        }
        positionUnpositioned();
        ConsumerRecords<byte[], CappedValue> polled;
        try {
            polled = consumer.poll(timeout);
        } catch (WakeupException e) {
            return SourceBatch.EMPTY;
        } catch (OffsetOutOfRangeException e) {
            outOfRange(e.offsetOutOfRangePartitions());
            return SourceBatch.EMPTY;
        } catch (NoOffsetForPartitionException e) {
            // not expected (every assigned partition gets a position at once); never fall back to Kafka's offsets
            unpositioned.addAll(e.partitions());
            consumer.pause(e.partitions());
            consumer.seekToBeginning(e.partitions());
            return SourceBatch.EMPTY;
        } catch (AuthenticationException e) {
            // polling again cannot help until someone fixes the credentials: stop the loop, saying which
            throw CredentialsRefused.exception(settings, e);
        } catch (KafkaException e) {
            if (e.getCause() instanceof HeartbeatException stop) {
                // thrown by positioning inside the rebalance callback (a replaced topic): the consumer wrapped it
                throw stop;
            }
            throw e;
        }
        if (polled.isEmpty()) {
            return SourceBatch.EMPTY;
        }
        List<SourceRecord> records = new ArrayList<>(polled.count());
        for (TopicPartition partition : polled.partitions()) {
            StreamPartition stream = streamPartition(partition);
            for (ConsumerRecord<byte[], CappedValue> record : polled.records(partition)) {
                CappedValue value = record.value();
                records.add(new SourceRecord(stream, record.offset(), value == null ? null : value.bytes(),
                        value == null ? 0 : value.size(), CustomerKeys.checked(record.key(), ReadingJsonCodec.decode(value))));
            }
        }
        return SourceBatch.of(records, generation);
    }

    @Override
    public void committed(SourceBatch batch) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionRange range : batch.ranges()) {
            TopicPartition partition = new TopicPartition(range.partition().topic(), range.partition().partition());
            if (assigned.contains(partition)) {
                offsets.put(partition, new OffsetAndMetadata(range.nextOffset()));
            }
        }
        if (!offsets.isEmpty()) {
            storedPositions.putAll(offsets);
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    // informational only (the store holds the truth); the next batch's commit catches up
                    LOG.debug("committing offsets {} to Kafka failed: {}", committed, error.toString());
                }
            });
        }
    }

    @Override
    public void pause() {
        paused = true;
        consumer.pause(consumer.assignment());
    }

    @Override
    public void resume() {
        paused = false;
        Set<TopicPartition> positioned = new HashSet<>(consumer.assignment());
        positioned.removeAll(unpositioned);
        consumer.resume(positioned);
    }

    @Override
    public void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        unpositioned.addAll(assigned);
        consumer.pause(assigned);
        nextPositionAttempt = System.nanoTime();
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * A stored position the log no longer (or never) held. Below the log start, retention removed
     * messages before they were stored: they cannot be read any more, so the source goes on from the
     * oldest kept message and the store records the gap. Beyond the log end, the store and the topic
     * disagree (the topic was recreated or truncated): guessing would lose or repeat readings, so this
     * stops the loop with an explanation for the operator.
     */
    private void outOfRange(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> starts;
        Map<TopicPartition, Long> ends;
        try {
            starts = consumer.beginningOffsets(positions.keySet(), CLOSE_TIMEOUT);
            ends = consumer.endOffsets(positions.keySet(), CLOSE_TIMEOUT);
        } catch (WakeupException stopping) {
            return; // the loop is stopping; this poll returns nothing
        } catch (KafkaException e) {
            // the fetch will run out of range again at the next poll, and this is tried again then
            LOG.warn("could not read the offsets of {} to recover from an out-of-range position: {}", positions.keySet(),
                    e.toString());
            return;
        }
        for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
            TopicPartition partition = position.getKey();
            long offset = position.getValue();
            long start = starts.getOrDefault(partition, 0L);
            long end = ends.getOrDefault(partition, Long.MAX_VALUE);
            if (offset < start) {
                skipRemoved(partition, offset, start);
            } else if (offset > end) {
                throw new HeartbeatException("the store's position " + offset + " for " + partition
                        + " lies beyond the end of the log (" + end + "): the topic was recreated or truncated."
                        + " Not guessing where to go on (that would lose or repeat readings): fix the stored positions"
                        + " or the topic, then restart");
            } else {
                consumer.seek(partition, offset);
            }
        }
    }

    /**
     * Messages {@code offset..start-1} were removed before they were stored: the store records the gap
     * and moves the position to {@code start} in one transaction, then reading goes on there. When the
     * store cannot, or its position has moved since (another consumer), the partition is positioned from
     * the store again, which runs out of range again if the gap is still there.
     */
    private void skipRemoved(TopicPartition partition, long offset, long start) {
        StreamGap gap = new StreamGap(streamPartition(partition), offset, start, clock.instant(),
                StreamGap.Reason.REMOVED_BEFORE_READ, "the log starts at " + start
                + ": retention (or a deletion) removed these messages before they were read");
        boolean recorded;
        try {
            recorded = this.positions.skip(gap);
        } catch (HeartbeatException unavailable) {
            reposition(partition);
            positioningFailed("could not record the gap " + offset + ".." + (start - 1) + " of " + partition, unavailable);
            return;
        }
        if (!recorded) {
            reposition(partition);
            return;
        }
        gaps.incrementAndGet();
        skippedMessages.addAndGet(start - offset);
        LOG.warn("messages {}..{} of {} ({} messages) were removed from the log before they were stored; the gap is"
                + " recorded and reading goes on from {}", offset, start - 1, partition, start - offset, start);
        consumer.seek(partition, start);
        generation++;
    }

    /** Positioning waits: asked again with capped back-off, said once per outage. */
    private void positioningFailed(String what, Exception cause) {
        positionFailures++;
        Duration retryIn = positionRetry.delay(positionFailures);
        nextPositionAttempt = System.nanoTime() + retryIn.toNanos();
        if (positionFailures == 1) {
            LOG.warn("{} ({}); they stay paused, asking again with back-off", what, cause.toString());
        }
    }

    /** Makes {@code partition} unpositioned again: paused until the store tells its position. */
    private void reposition(TopicPartition partition) {
        unpositioned.add(partition);
        consumer.pause(List.of(partition));
        generation++;
    }

    /**
     * Binds the stored positions to the topic's id before the first positioning after an assignment.
     *
     * @return false when the topic id or the store could not be reached (try again later)
     */
    private boolean bindTopic() {
        if (boundTopicId != null) {
            return true;
        }
        String topicId;
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(settings.adminTimeout().toMillis(), TimeUnit.MILLISECONDS).get(topic);
            topicId = description.topicId().toString();
        } catch (ExecutionException e) {
            positioningFailed("could not read the id of topic " + topic + " (" + e.getCause() + ")", e);
            return false;
        } catch (TimeoutException | KafkaException e) {
            positioningFailed("could not read the id of topic " + topic, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        TopicBinding binding;
        try {
            binding = positions.bindTopic(topic, topicId, replaceTopic, clock.instant());
        } catch (HeartbeatException unavailable) {
            positioningFailed("the store cannot bind the positions of " + topic + " to its topic id", unavailable);
            return false;
        }
        switch (binding) {
            case TopicBinding.Bound bound -> LOG.debug("positions of {} belong to topic id {}", topic, bound.topicId());
            case TopicBinding.Mismatch mismatch -> throw new HeartbeatException("the stored positions of topic " + topic
                    + " belong to topic id " + mismatch.storedId() + ", but " + topic + " now has id " + mismatch.topicId()
                    + ": it was deleted and made again, and its offsets started over. Not applying the old positions to it"
                    + " (that would skip or repeat readings): restart with --replace-topic to read the new topic from its"
                    + " start and record the old topic's unread rest as a gap");
            case TopicBinding.Replaced replaced -> {
                gaps.addAndGet(replaced.gaps().size());
                LOG.warn("topic {} was replaced (id {} -> {}): the old positions are forgotten, {} gaps recorded, and the"
                        + " new topic is read from its start", topic, replaced.previousId(), replaced.topicId(),
                        replaced.gaps().size());
            }
        }
        boundTopicId = topicId;
        return true;
    }

    /** Seeks every unpositioned partition to the store's position; leaves them paused while the store cannot answer. */
    private void positionUnpositioned() {
        if (unpositioned.isEmpty() || System.nanoTime() - nextPositionAttempt < 0) {
            return;
        }
        List<StreamPartition> asked = new ArrayList<>(unpositioned.size());
        unpositioned.forEach(partition -> asked.add(streamPartition(partition)));
        if (!bindTopic()) {
            return;
        }
        Map<StreamPartition, Long> stored;
        try {
            stored = positions.positions(asked);
        } catch (HeartbeatException unavailable) {
            positioningFailed("the store cannot tell the positions of " + unpositioned, unavailable);
            return;
        }
        if (positionFailures > 0) {
            LOG.info("the store answered again after {} failed attempts; positioning {}", positionFailures, unpositioned);
            positionFailures = 0;
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : unpositioned) {
            Long next = stored.get(streamPartition(partition));
            if (next == null) {
                fromStart.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        // what was read before this came from elsewhere or was discarded: state kept per customer must be rebuilt
        generation++;
        LOG.debug("positioned {} from the store: {} (absent: from the beginning)", unpositioned, stored);
        if (!paused) {
            consumer.resume(unpositioned);
        }
        unpositioned.clear();
    }

    private StreamPartition streamPartition(TopicPartition partition) {
        StreamPartition stream = partitions.get(partition);
        if (stream == null) {
            stream = new StreamPartition(partition.topic(), partition.partition());
            partitions.put(partition, stream);
        }
        return stream;
    }

    /** Runs inside {@code consumer.poll}, on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            LOG.info("assigned {}: positioning them from the store", assigned);
            // the topic may have been replaced since the last assignment: bind its id again before positioning
            boundTopicId = null;
            unpositioned.addAll(assigned);
            consumer.pause(assigned);
            // a placeholder so that the consumer never looks up Kafka's committed offsets; the store's
            // position replaces it before the partition is resumed
            consumer.seekToBeginning(assigned);
            // without this the rest of this poll would wait for data that cannot come
            nextPositionAttempt = System.nanoTime();
            positionUnpositioned();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            LOG.info("revoked {}", revoked);
            generation++;
            unpositioned.removeAll(revoked);
            // while still the owner, leave Kafka's offsets where the store is, so that lag tools are right
            // across the handover; the new owner reads its positions from the store whatever happens here
            Map<TopicPartition, OffsetAndMetadata> handedOver = new HashMap<>();
            for (TopicPartition partition : revoked) {
                OffsetAndMetadata stored = storedPositions.remove(partition);
                if (stored != null) {
                    handedOver.put(partition, stored);
                }
            }
            if (!handedOver.isEmpty()) {
                try {
                    consumer.commitSync(handedOver, HANDOVER_COMMIT_TIMEOUT);
                } catch (WakeupException stopping) {
                    throw stopping;
                } catch (KafkaException e) {
                    LOG.debug("committing {} to Kafka at revocation failed: {}", handedOver, e.toString());
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            LOG.warn("lost {} (this consumer was thrown out of the group)", lost);
            generation++;
            unpositioned.removeAll(lost);
            storedPositions.keySet().removeAll(lost);
        }
    }
}
