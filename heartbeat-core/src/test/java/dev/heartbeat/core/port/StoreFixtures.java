package dev.heartbeat.core.port;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Builders for the port contract tests; shared with the adapters' tests through the test jar. */
public final class StoreFixtures {

    public static final String TOPIC = "heartbeat-data";
    public static final StreamPartition P0 = new StreamPartition(TOPIC, 0);
    public static final StreamPartition P1 = new StreamPartition(TOPIC, 1);

    private StoreFixtures() {
    }

    /** A whole hour a little in the past: inside any retention window, and minute-aligned. */
    public static Instant baseTime() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
    }

    public static Reading reading(String customer, Instant at, int bpm) {
        return new Reading(CustomerId.of(customer), at, bpm, Activity.NORMAL);
    }

    public static RejectedMessage reject(StreamPartition partition, long offset, RejectReason reason, String payload) {
        return RejectedMessage.of(partition, offset, reason, "detail of " + reason.code(),
                payload.getBytes(StandardCharsets.UTF_8), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** A batch of readings (and no rejects) covering offsets {@code from .. from + readings - 1} of {@code partition}. */
    public static StoreBatch batch(StreamPartition partition, long from, List<Reading> readings) {
        return new StoreBatch(readings, List.of(), List.of(new PartitionRange(partition, from, from + readings.size())));
    }

    /** {@code count} readings of one customer, one per second from {@code start}, heart rates from {@code bpm} up. */
    public static List<Reading> series(String customer, Instant start, int count, int bpm) {
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readings.add(reading(customer, start.plusSeconds(i), Math.min(250, bpm + i % 10)));
        }
        return readings;
    }
}
