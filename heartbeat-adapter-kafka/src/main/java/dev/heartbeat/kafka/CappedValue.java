package dev.heartbeat.kafka;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;

/**
 * A record's value as the source keeps it: all of it up to {@link ReadingJsonCodec#MAX_MESSAGE_BYTES},
 * else only that many first bytes (what a {@code too_large} reject stores), with the true {@code size}.
 * A compressed batch can inflate a record to many megabytes; the consumer decompresses each record into
 * a buffer of its own for the moment it takes to deserialize it, and this keeps no more than 64 KiB of
 * it, so a poll of such records holds kilobytes, not gigabytes.
 */
record CappedValue(byte[] bytes, int size) {

    /** Keeps the first {@value ReadingJsonCodec#MAX_MESSAGE_BYTES} bytes of each value, and its size. */
    static final class CappedDeserializer implements Deserializer<CappedValue> {

        @Override
        public CappedValue deserialize(String topic, byte[] data) {
            return data == null ? null : of(ByteBuffer.wrap(data));
        }

        @Override
        public CappedValue deserialize(String topic, Headers headers, ByteBuffer data) {
            return data == null ? null : of(data);
        }

        private static CappedValue of(ByteBuffer data) {
            int size = data.remaining();
            byte[] kept = new byte[Math.min(size, ReadingJsonCodec.MAX_MESSAGE_BYTES)];
            data.duplicate().get(kept);
            return new CappedValue(kept, size);
        }
    }

    /** Whether all of the value was kept. */
    boolean whole() {
        return bytes.length == size;
    }
}
