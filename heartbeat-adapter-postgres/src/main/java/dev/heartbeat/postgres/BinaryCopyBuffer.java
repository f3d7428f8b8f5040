package dev.heartbeat.postgres;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format: no text to parse on the server (timestamps above all), and
 * nothing to escape. Call {@link #row} with the column count, then one value per column, in the order the
 * COPY statement names them. Given a sink, every full chunk goes out as soon as it is encoded, so the
 * server works on the first rows while the last are being encoded.
 */
final class BinaryCopyBuffer {

    /** Where full chunks go. */
    interface Sink {
        void write(byte[] bytes, int length) throws java.sql.SQLException;
    }

    static final int CHUNK = 64 * 1024;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL's epoch for timestamps, 2000-01-01T00:00:00Z, in microseconds since the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final Sink sink;
    private byte[] bytes;
    private int size;

    /** A buffer that keeps everything until {@link #finish()}. */
    BinaryCopyBuffer(int expectedBytes) {
        this(expectedBytes, null);
    }

    /** A buffer that hands every full chunk to {@code sink}; {@link #finish()} returns the rest. */
    BinaryCopyBuffer(int expectedBytes, Sink sink) {
        this.sink = sink;
        bytes = new byte[sink == null ? Math.max(64, expectedBytes) : CHUNK + 1024];
        put(SIGNATURE);
        putInt(0); // flags
        putInt(0); // header extension length
    }

    BinaryCopyBuffer row(int columns) throws java.sql.SQLException {
        if (sink != null && size >= CHUNK) {
            sink.write(bytes, size);
            size = 0;
        }
        putShort(columns);
        return this;
    }

    BinaryCopyBuffer text(String value) {
        return bytea(utf8(value));
    }

    BinaryCopyBuffer int2(int value) {
        putInt(2);
        putShort(value);
        return this;
    }

    BinaryCopyBuffer int4(int value) {
        putInt(4);
        putInt(value);
        return this;
    }

    BinaryCopyBuffer int8(long value) {
        putInt(8);
        putLong(value);
        return this;
    }

    /** A {@code timestamptz}: microseconds since 2000-01-01 UTC (readings are kept to the microsecond). */
    BinaryCopyBuffer timestamptz(Instant value) {
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
        return int8(micros - POSTGRES_EPOCH_MICROS);
    }

    BinaryCopyBuffer bytea(byte[] value) {
        putInt(value.length);
        put(value);
        return this;
    }

    /** The finished stream (what a sink has not had yet): the rows and the trailer. */
    byte[] finish() {
        putShort(-1);
        return Arrays.copyOf(bytes, size);
    }

    /** PostgreSQL text cannot hold NUL; anything else goes through as UTF-8. */
    private static byte[] utf8(String value) {
        String clean = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        return clean.getBytes(StandardCharsets.UTF_8);
    }

    private void put(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    private void putShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
