package dev.heartbeat.postgres;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Rows of the database as core's values. */
final class ReadingRows {

    private ReadingRows() {
    }

    /** A reading from the columns customer_id, recorded_at, heart_rate and activity. */
    static Reading reading(ResultSet rs) throws SQLException {
        String activity = rs.getString("activity");
        return new Reading(CustomerId.of(rs.getString("customer_id")), instant(rs, "recorded_at"), rs.getInt("heart_rate"),
                Activity.fromWireName(activity).orElseThrow(
                        () -> new HeartbeatException("heartbeat_records holds an unknown activity: " + activity)));
    }

    static StoredReject reject(ResultSet rs) throws SQLException {
        String code = rs.getString("reason");
        RejectReason reason = RejectReason.fromCode(code).orElseThrow(
                () -> new HeartbeatException("rejected_readings holds a reason this build does not know: " + code));
        RejectedMessage message = new RejectedMessage(new StreamPartition(rs.getString("topic"), rs.getInt("partition")),
                rs.getLong("message_offset"), reason, rs.getString("detail"), rs.getBytes("payload"),
                rs.getInt("payload_size"), instant(rs, "received_at"));
        return new StoredReject(rs.getLong("id"), message);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            throw new HeartbeatException("unexpected NULL in " + column);
        }
        return value.toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
