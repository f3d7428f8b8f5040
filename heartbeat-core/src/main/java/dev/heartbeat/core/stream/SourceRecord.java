package dev.heartbeat.core.stream;

import dev.heartbeat.core.validation.RawMessage;

import java.util.Objects;

/**
 * One message as a source delivers it: where it came from, its raw bytes (kept only to be stored
 * with a reject; a source may keep only the first {@link RejectedMessage#MAX_PAYLOAD_BYTES} of a larger
 * message), the message's true size in bytes, and what the adapter's decoder made of them.
 */
public record SourceRecord(StreamPartition partition, long offset, byte[] payload, int payloadSize, RawMessage message) {

    public SourceRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(message, "message");
        if (payloadSize < (payload == null ? 0 : payload.length)) {
            throw new IllegalArgumentException("a payload of " + payload.length + " bytes cannot be from a message of "
                    + payloadSize);
        }
    }

    /** A record that keeps all of its payload. */
    public SourceRecord(StreamPartition partition, long offset, byte[] payload, RawMessage message) {
        this(partition, offset, payload, payload == null ? 0 : payload.length, message);
    }
}
