package dev.heartbeat.postgres;

import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ReadingStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link ReadingStore} on PostgreSQL. Each batch is one transaction: lock and check the source
 * positions (a batch starting before a stored position is {@link WriteOutcome.Stale} and writes nothing),
 * COPY the readings (binary), COPY the rejects, record positions, totals and the batch line, commit. A
 * batch that meets a natural key already stored is written again through INSERT ... ON CONFLICT DO
 * NOTHING, which counts the duplicates. A lost connection, a server going down or a timeout leaves
 * nothing and surfaces as {@link StoreUnavailableException}. Every so often (settings) it brings the
 * summaries up to date after a commit; see {@link PostgresSummarizer}.
 *
 * <p>Steps of the transaction are small package-private classes ({@link PositionFence}, {@link ReadingCopy},
 * {@link RejectCopy}, {@link AlertRows}, {@link BatchLedger}); a new kind of row written with the batch is one more step.
 */
public final class PostgresReadingStore implements ReadingStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresReadingStore.class);
    private static final int PARTITION_RETRIES = 2;

    private final Jdbi jdbi;
    private final DailyPartitions partitions;
    private final PositionFence fence = new PositionFence();
    private final PostgresSummarizer summarizer;
    private final SummaryCadence cadence;
    private final Executor summarizing;
    private final AtomicBoolean summaryInFlight = new AtomicBoolean();

    /** A store that brings the summaries up to date on the writing thread, after the batch that made them due. */
    public PostgresReadingStore(PostgresDatabase database) {
        this(database, new PostgresSummarizer(database), Runnable::run);
    }

    /**
     * A store that brings the summaries up to date on {@code summarizing} (e.g. a thread of its own, with
     * a connection of its own), so that the writer goes on with the next batch meanwhile; at most one
     * summary runs at a time, a due one is skipped while another is in flight.
     */
    public PostgresReadingStore(PostgresDatabase database, PostgresSummarizer summarizer, Executor summarizing) {
        Objects.requireNonNull(database, "database");
        this.jdbi = database.jdbi();
        this.partitions = new DailyPartitions(jdbi);
        this.summarizer = Objects.requireNonNull(summarizer, "summarizer");
        this.summarizing = Objects.requireNonNull(summarizing, "summarizing");
        this.cadence = new SummaryCadence(database.settings().summaryInterval(), database.settings().summaryRows());
    }

    @Override
    public WriteOutcome write(StoreBatch batch) {
        BatchPlan plan = BatchPlan.of(Objects.requireNonNull(batch, "batch"));
        WriteOutcome outcome = writeWithRetries(plan);
        if (outcome instanceof WriteOutcome.Committed committed && cadence.due(committed.stored())
                && summaryInFlight.compareAndSet(false, true)) {
            try {
                summarizing.execute(() -> {
                    try {
                        summarizeQuietly();
                    } finally {
                        summaryInFlight.set(false);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                summaryInFlight.set(false);
            }
        }
        return outcome;
    }

    private WriteOutcome writeWithRetries(BatchPlan plan) {
        boolean someStored = false;
        int partitionRetries = 0;
        while (true) {
            try {
                partitions.ensure(plan.days());
                return writeOnce(plan, someStored);
            } catch (RuntimeException e) {
                if (!someStored && SqlFailures.isUniqueViolation(e)) {
                    someStored = true;
                } else if (partitionRetries < PARTITION_RETRIES && SqlFailures.isMissingPartition(e)) {
                    partitionRetries++;
                    partitions.forget();
                } else {
                    throw SqlFailures.translate("writing a batch of " + plan.batch().messageCount() + " messages", e);
                }
            }
        }
    }

    private WriteOutcome writeOnce(BatchPlan plan, boolean someStored) {
        try (Handle handle = jdbi.open()) {
            handle.begin();
            try {
                PositionFence.Verdict verdict = fence.lock(handle, plan);
                if (verdict.stale().isPresent()) {
                    handle.rollback();
                    return verdict.stale().get();
                }
                int stored = someStored
                        ? ReadingCopy.insertNew(handle, plan.uniqueReadings())
                        : ReadingCopy.copy(handle, plan.uniqueReadings());
                RejectCopy.copy(handle, plan.rejects());
                AlertRows.apply(handle, plan.batch().alerts());
                int duplicates = plan.batch().readings().size() - stored;
                BatchLedger.record(handle, plan, stored, duplicates);
                handle.commit();
                fence.remember(verdict.createdRows());
                return new WriteOutcome.Committed(stored, duplicates, plan.rejects().size());
            } catch (RuntimeException e) {
                rollbackQuietly(handle, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Handle handle, RuntimeException cause) {
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException rollbackFailure) {
            // the connection is gone: the server has already discarded the transaction
            cause.addSuppressed(rollbackFailure);
        }
    }

    private void summarizeQuietly() {
        long began = System.nanoTime();
        try {
            long added = summarizer.summarize();
            log.debug("Summarized {} readings", added);
        } catch (RuntimeException e) {
            // the batch is committed; the summaries catch up next time and queries stay exact meanwhile
            log.warn("Could not summarize readings: {}", e.getMessage());
        } finally {
            cadence.ran(Duration.ofNanos(System.nanoTime() - began));
        }
    }

    @Override
    public Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
        List<StreamPartition> wanted = List.copyOf(partitions);
        if (wanted.isEmpty()) {
            return Map.of();
        }
        try {
            return jdbi.withHandle(handle -> {
                Map<StreamPartition, Long> known = new HashMap<>();
                handle.createQuery("""
                                SELECT p.topic, p.partition, p.next_offset
                                FROM stream_positions p
                                JOIN unnest(:topics::text[], :partitions::integer[]) AS u(topic, partition)
                                  ON p.topic = u.topic AND p.partition = u.partition
                                WHERE p.next_offset IS NOT NULL""")
                        .bindArray("topics", String.class, wanted.stream().map(StreamPartition::topic).toArray())
                        .bindArray("partitions", Integer.class, wanted.stream().map(StreamPartition::partition).toArray())
                        .map((rs, ctx) -> Map.entry(new StreamPartition(rs.getString("topic"), rs.getInt("partition")),
                                rs.getLong("next_offset")))
                        .forEach(entry -> known.put(entry.getKey(), entry.getValue()));
                return Map.copyOf(known);
            });
        } catch (RuntimeException e) {
            throw SqlFailures.translate("reading the stored positions", e);
        }
    }

    @Override
    public boolean skip(StreamGap gap) {
        try {
            return GapLedger.skip(jdbi, Objects.requireNonNull(gap, "gap"));
        } catch (RuntimeException e) {
            throw SqlFailures.translate("recording a gap of " + gap.partition(), e);
        }
    }

    @Override
    public TopicBinding bindTopic(String topic, String topicId, boolean replace, Instant now) {
        try {
            return GapLedger.bind(jdbi, topic, topicId, replace, now);
        } catch (RuntimeException e) {
            throw SqlFailures.translate("binding the positions of " + topic + " to its topic id", e);
        }
    }
}
