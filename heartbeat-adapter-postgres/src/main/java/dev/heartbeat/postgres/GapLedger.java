package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The gaps a source had to skip ({@code stream_gaps}) and the topic ids the positions belong to
 * ({@code stream_topics}): each gap is written in the statement that moves its partition's position
 * past it, and a replaced topic's positions are forgotten in the transaction that records its gaps.
 */
final class GapLedger {

    private static final String SKIP = """
            WITH moved AS (
                UPDATE stream_positions SET next_offset = :to, updated_at = now()
                WHERE topic = :topic AND partition = :partition AND next_offset = :from
                RETURNING topic
            )
            INSERT INTO stream_gaps (topic, topic_id, partition, from_offset, to_offset, detected_at, reason, detail)
            SELECT m.topic, (SELECT t.topic_id FROM stream_topics t WHERE t.topic = m.topic), :partition, :from, :to,
                   :at, :reason, :detail
            FROM moved m""";
    private static final String REPLACED_GAPS = """
            INSERT INTO stream_gaps (topic, topic_id, partition, from_offset, to_offset, detected_at, reason, detail)
            SELECT topic, :previous, partition, next_offset, next_offset, :at, 'topic_replaced', :detail
            FROM stream_positions
            WHERE topic = :topic AND next_offset IS NOT NULL
            ORDER BY partition
            RETURNING partition, from_offset""";
    static final String RECENT = """
            SELECT topic, partition, from_offset, to_offset, detected_at, reason, detail
            FROM stream_gaps ORDER BY id DESC LIMIT :limit""";

    private GapLedger() {
    }

    static boolean skip(Jdbi jdbi, StreamGap gap) {
        return jdbi.withHandle(handle -> handle.createUpdate(SKIP)
                .bind("topic", gap.partition().topic())
                .bind("partition", gap.partition().partition())
                .bind("from", gap.fromOffset())
                .bind("to", gap.toOffset())
                .bind("at", gap.detectedAt().atOffset(ZoneOffset.UTC))
                .bind("reason", gap.reason().code())
                .bind("detail", gap.detail())
                .execute()) == 1;
    }

    static TopicBinding bind(Jdbi jdbi, String topic, String topicId, boolean replace, Instant now) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("INSERT INTO stream_topics (topic, topic_id) VALUES (:topic, :id) ON CONFLICT (topic) DO NOTHING")
                    .bind("topic", topic).bind("id", topicId).execute();
            String stored = handle.createQuery("SELECT topic_id FROM stream_topics WHERE topic = :topic FOR UPDATE")
                    .bind("topic", topic).mapTo(String.class).one();
            if (stored.equals(topicId)) {
                return new TopicBinding.Bound(topicId);
            }
            if (!replace) {
                return new TopicBinding.Mismatch(stored, topicId);
            }
            return replace(handle, topic, stored, topicId, now);
        });
    }

    private static TopicBinding replace(Handle handle, String topic, String previous, String topicId, Instant now) {
        // the position rows first, in one order, as every batch's fence locks them
        handle.createQuery("SELECT partition FROM stream_positions WHERE topic = :topic ORDER BY partition FOR UPDATE")
                .bind("topic", topic).mapTo(Integer.class).list();
        String detail = TopicBinding.replacedDetail(previous, topicId);
        List<StreamGap> gaps = new ArrayList<>();
        handle.createQuery(REPLACED_GAPS)
                .bind("topic", topic).bind("previous", previous).bind("at", now.atOffset(ZoneOffset.UTC))
                .bind("detail", detail)
                .map((rs, ctx) -> new StreamGap(new StreamPartition(topic, rs.getInt("partition")), rs.getLong("from_offset"),
                        rs.getLong("from_offset"), now, StreamGap.Reason.TOPIC_REPLACED, detail))
                .forEach(gaps::add);
        handle.createUpdate("UPDATE stream_positions SET next_offset = NULL, updated_at = now() WHERE topic = :topic")
                .bind("topic", topic).execute();
        handle.createUpdate("UPDATE stream_topics SET topic_id = :id, bound_at = now() WHERE topic = :topic")
                .bind("topic", topic).bind("id", topicId).execute();
        return new TopicBinding.Replaced(previous, topicId, gaps);
    }

    /** A row of {@link #RECENT}. */
    static StreamGap gap(ResultSet rs) throws SQLException {
        return new StreamGap(new StreamPartition(rs.getString("topic"), rs.getInt("partition")), rs.getLong("from_offset"),
                rs.getLong("to_offset"), rs.getTimestamp("detected_at").toInstant(),
                StreamGap.Reason.fromCode(rs.getString("reason")), rs.getString("detail"));
    }

    /** The number of gaps and the messages they skipped. */
    static long[] totals(Handle handle) {
        return handle.createQuery("SELECT count(*), coalesce(sum(to_offset - from_offset), 0) FROM stream_gaps")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
    }
}
