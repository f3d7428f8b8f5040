package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.RejectedMessage;
import org.jdbi.v3.core.Handle;

import java.sql.SQLException;
import java.util.List;

/** Writes a batch's rejects with COPY (binary), in batch order, so their ids follow that order. */
final class RejectCopy {

    private static final String COPY_REJECTS = "COPY rejected_readings"
            + " (topic, partition, message_offset, reason, detail, payload, payload_size, received_at)"
            + " FROM STDIN (FORMAT binary)";

    private RejectCopy() {
    }

    static void copy(Handle handle, List<RejectedMessage> rejects) {
        if (rejects.isEmpty()) {
            return;
        }
        int bytes = rejects.stream().mapToInt(r -> r.payload().length + r.detail().length() * 2 + 96).sum();
        BinaryCopyBuffer buffer = new BinaryCopyBuffer(bytes);
        try {
            encode(buffer, rejects);
        } catch (SQLException e) {
            throw new IllegalStateException("an in-memory buffer cannot fail", e);
        }
        ReadingCopy.copyIn(handle, COPY_REJECTS, buffer.finish(), "rejected_readings");
    }

    private static void encode(BinaryCopyBuffer buffer, List<RejectedMessage> rejects) throws SQLException {
        for (RejectedMessage reject : rejects) {
            buffer.row(8)
                    .text(reject.partition().topic())
                    .int4(reject.partition().partition())
                    .int8(reject.offset())
                    .text(reject.reason().code())
                    .text(reject.detail())
                    .bytea(reject.payload())
                    .int4(Math.max(reject.payloadSize(), reject.payload().length))
                    .timestamptz(reject.receivedAt());
        }
    }
}
