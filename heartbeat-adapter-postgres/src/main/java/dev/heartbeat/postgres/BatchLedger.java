package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StreamPartition;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last step of a batch's transaction: the new positions with the running totals of each partition,
 * the rejects per reason, and the batch's line in ingest_batches (commit time, counts, latency), in one
 * statement.
 */
final class BatchLedger {

    private static final String RECORD = """
            WITH positions AS (
                UPDATE stream_positions p SET
                    next_offset = coalesce(u.next_offset, p.next_offset),
                    messages    = p.messages + u.messages,
                    stored      = p.stored + u.stored,
                    rejected    = p.rejected + u.rejected,
                    duplicates  = p.duplicates + u.duplicates,
                    updated_at  = now()
                FROM unnest(:topics::text[], :partitions::integer[], :nexts::bigint[], :messages::bigint[],
                            :stored::bigint[], :rejected::bigint[], :duplicates::bigint[])
                     AS u(topic, partition, next_offset, messages, stored, rejected, duplicates)
                WHERE p.topic = u.topic AND p.partition = u.partition
                RETURNING 1
            ), reasons AS (
                INSERT INTO stream_reject_counts AS c (topic, partition, reason, rejects)
                SELECT topic, partition, reason, rejects
                FROM unnest(:reasonTopics::text[], :reasonPartitions::integer[], :reasons::text[], :reasonCounts::bigint[])
                     AS u(topic, partition, reason, rejects)
                ORDER BY topic, partition, reason
                ON CONFLICT (topic, partition, reason) DO UPDATE SET rejects = c.rejects + excluded.rejects
            ), clock AS (
                SELECT clock_timestamp() AS now
            )
            INSERT INTO ingest_batches (committed_at, messages, stored, rejected, duplicates, oldest_reading, latency_us)
            SELECT now, :batchMessages, :batchStored, :batchRejected, :batchDuplicates, :oldest::timestamptz,
                   coalesce((extract(epoch FROM now - :oldest::timestamptz) * 1000000)::bigint, 0)
            FROM clock""";

    private BatchLedger() {
    }

    private static final class Counts {
        Long next;
        long messages;
        long stored;
        long rejected;
        long duplicates;
    }

    static void record(Handle handle, BatchPlan plan, int stored, int duplicates) {
        Map<StreamPartition, Counts> byPartition = new TreeMap<>();
        for (StreamPartition partition : plan.touchedPartitions()) {
            byPartition.put(partition, new Counts());
        }
        for (PartitionRange range : plan.ranges()) {
            Counts counts = byPartition.get(range.partition());
            counts.next = counts.next == null ? range.nextOffset() : Math.max(counts.next, range.nextOffset());
        }
        Counts lead = byPartition.get(plan.lead());
        lead.stored += stored;
        lead.duplicates += duplicates;
        lead.messages += stored + duplicates;
        Map<List<Object>, Long> reasons = new LinkedHashMap<>();
        for (RejectedMessage reject : plan.rejects()) {
            StreamPartition under = plan.countedUnder(reject);
            Counts counts = byPartition.get(under);
            counts.rejected++;
            counts.messages++;
            reasons.merge(List.of(under.topic(), under.partition(), reject.reason().code()), 1L, Long::sum);
        }
        List<StreamPartition> partitions = new ArrayList<>(byPartition.keySet());
        List<Counts> counts = partitions.stream().map(byPartition::get).toList();
        Instant oldest = plan.oldestReading().orElse(null);
        handle.createUpdate(RECORD)
                .bindArray("topics", String.class, partitions.stream().map(StreamPartition::topic).toArray())
                .bindArray("partitions", Integer.class, partitions.stream().map(StreamPartition::partition).toArray())
                .bindArray("nexts", Long.class, counts.stream().map(c -> c.next).toArray())
                .bindArray("messages", Long.class, counts.stream().map(c -> c.messages).toArray())
                .bindArray("stored", Long.class, counts.stream().map(c -> c.stored).toArray())
                .bindArray("rejected", Long.class, counts.stream().map(c -> c.rejected).toArray())
                .bindArray("duplicates", Long.class, counts.stream().map(c -> c.duplicates).toArray())
                .bindArray("reasonTopics", String.class, reasons.keySet().stream().map(k -> k.get(0)).toArray())
                .bindArray("reasonPartitions", Integer.class, reasons.keySet().stream().map(k -> k.get(1)).toArray())
                .bindArray("reasons", String.class, reasons.keySet().stream().map(k -> k.get(2)).toArray())
                .bindArray("reasonCounts", Long.class, reasons.values().toArray())
                .bind("batchMessages", plan.batch().messageCount())
                .bind("batchStored", stored)
                .bind("batchRejected", plan.rejects().size())
                .bind("batchDuplicates", duplicates)
                .bindByType("oldest", oldest, Instant.class)
                .execute();
    }
}
