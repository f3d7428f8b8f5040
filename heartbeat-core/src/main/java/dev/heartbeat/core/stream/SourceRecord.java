package dev.heartbeat.core.stream;

import dev.heartbeat.core.validation.RawMessage;

import java.util.Objects;

/**
 * One message as a source delivers it: where it came from, its raw bytes (kept only to be stored
 * with a reject) and what the adapter's decoder made of them.
 */
public record SourceRecord(StreamPartition partition, long offset, byte[] payload, RawMessage message) {

    public SourceRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(message, "message");
    }
}
