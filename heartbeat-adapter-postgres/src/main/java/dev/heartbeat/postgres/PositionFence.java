package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import org.jdbi.v3.core.Handle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first step of a batch's transaction: locks the position rows of the partitions the batch touches
 * (in one order, so that concurrent writers cannot deadlock) and refuses the batch if a range starts
 * before the position already stored. A writer that lost a partition to another consumer waits here
 * for the other's transaction and then sees its position: only one of them can store a range.
 */
final class PositionFence {

    private static final String CREATE_ROWS = """
            INSERT INTO stream_positions (topic, partition)
            SELECT topic, partition FROM unnest(:topics::text[], :partitions::integer[]) AS u(topic, partition)
            ORDER BY topic, partition
            ON CONFLICT (topic, partition) DO NOTHING""";
    private static final String LOCK_ROWS = """
            SELECT p.topic, p.partition, p.next_offset
            FROM stream_positions p
            JOIN unnest(:topics::text[], :partitions::integer[]) AS u(topic, partition)
              ON p.topic = u.topic AND p.partition = u.partition
            ORDER BY p.topic, p.partition
            FOR UPDATE OF p""";

    /** Partitions whose row is known to exist (rows are never deleted). */
    private final Set<StreamPartition> knownRows = ConcurrentHashMap.newKeySet();

    /** What the fence found: the batch is stale, or go ahead (and remember {@code createdRows} on commit). */
    record Verdict(Optional<WriteOutcome.Stale> stale, List<StreamPartition> createdRows) {
    }

    Verdict lock(Handle handle, BatchPlan plan) {
        List<StreamPartition> touched = plan.touchedPartitions();
        List<StreamPartition> unknown = touched.stream().filter(p -> !knownRows.contains(p)).toList();
        if (!unknown.isEmpty()) {
            handle.createUpdate(CREATE_ROWS)
                    .bindArray("topics", String.class, unknown.stream().map(StreamPartition::topic).toArray())
                    .bindArray("partitions", Integer.class, unknown.stream().map(StreamPartition::partition).toArray())
                    .execute();
        }
        Map<StreamPartition, Long> stored = new HashMap<>();
        handle.createQuery(LOCK_ROWS)
                .bindArray("topics", String.class, touched.stream().map(StreamPartition::topic).toArray())
                .bindArray("partitions", Integer.class, touched.stream().map(StreamPartition::partition).toArray())
                .map((rs, ctx) -> {
                    long next = rs.getLong("next_offset");
                    if (!rs.wasNull()) {
                        stored.put(new StreamPartition(rs.getString("topic"), rs.getInt("partition")), next);
                    }
                    return next;
                })
                .list();
        for (PartitionRange range : plan.batch().ranges()) {
            Long next = stored.get(range.partition());
            if (next != null && range.fromOffset() < next) {
                return new Verdict(Optional.of(new WriteOutcome.Stale(range.partition(), next, range.fromOffset())), List.of());
            }
        }
        return new Verdict(Optional.empty(), unknown);
    }

    /** After the commit that created them. */
    void remember(List<StreamPartition> rows) {
        knownRows.addAll(rows);
    }
}
