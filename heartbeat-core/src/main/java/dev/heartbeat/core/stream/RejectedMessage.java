package dev.heartbeat.core.stream;

import dev.heartbeat.core.validation.RejectReason;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message that did not become a reading, kept with everything needed to find and replay it: its
 * source position, the reason and detail, its raw bytes (at most {@link #MAX_PAYLOAD_BYTES}; larger
 * payloads are cut and {@code payloadSize} tells the original size) and when it was received.
 */
public record RejectedMessage(StreamPartition partition, long offset, RejectReason reason, String detail,
                              byte[] payload, int payloadSize, Instant receivedAt) {

    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public RejectedMessage {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(receivedAt, "receivedAt");
        payload = payload == null ? new byte[0] : payload;
    }

    /** A reject of {@code payload}, cut to the stored maximum. */
    public static RejectedMessage of(StreamPartition partition, long offset, RejectReason reason, String detail,
                                     byte[] payload, Instant receivedAt) {
        return of(partition, offset, reason, detail, payload, payload == null ? 0 : payload.length, receivedAt);
    }

    /** A reject of a message of {@code payloadSize} bytes of which {@code payload} was kept, cut to the stored maximum. */
    public static RejectedMessage of(StreamPartition partition, long offset, RejectReason reason, String detail,
                                     byte[] payload, int payloadSize, Instant receivedAt) {
        byte[] bytes = payload == null ? new byte[0] : payload;
        byte[] kept = bytes.length <= MAX_PAYLOAD_BYTES ? bytes : Arrays.copyOf(bytes, MAX_PAYLOAD_BYTES);
        return new RejectedMessage(partition, offset, reason, detail, kept, Math.max(payloadSize, bytes.length), receivedAt);
    }

    /** This reject without its payload (its size still told): what is stored beyond the payload budget. */
    public RejectedMessage withoutPayload() {
        return new RejectedMessage(partition, offset, reason, detail, new byte[0], payloadSize, receivedAt);
    }
}
