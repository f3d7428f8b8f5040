package dev.heartbeat.core.memory;

import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RawMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A partitioned, append-only log in memory, with Kafka's semantics where they matter here: a
 * message goes to the partition of its key (so one customer's readings stay in order), each
 * partition numbers its messages from offset 0, and readers keep their own positions.
 */
public final class InMemoryBus {

    private final String topic;
    private final List<List<SourceRecord>> partitions;
    private long appends;

    public InMemoryBus(String topic, int partitionCount) {
        Objects.requireNonNull(topic, "topic");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("a bus needs at least one partition");
        }
        this.topic = topic;
        this.partitions = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            partitions.add(new ArrayList<>());
        }
    }

    public String topic() {
        return topic;
    }

    public List<StreamPartition> partitions() {
        List<StreamPartition> all = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            all.add(new StreamPartition(topic, i));
        }
        return all;
    }

    /** The partition a key goes to. */
    public int partitionOf(String key) {
        return Math.floorMod(key.hashCode(), partitions.size());
    }

    /** Appends a decoded message (no raw bytes to keep with a reject) and returns its offset. */
    public long append(String key, RawMessage message) {
        return append(key, message, new byte[0]);
    }

    /**
     * Appends a message to its key's partition and returns its offset; {@code payload} is the raw form
     * a reject of it keeps.
     */
    public synchronized long append(String key, RawMessage message, byte[] payload) {
        int partition = partitionOf(key);
        List<SourceRecord> log = partitions.get(partition);
        long offset = log.size();
        log.add(new SourceRecord(new StreamPartition(topic, partition), offset, payload, message));
        appends++;
        notifyAll();
        return offset;
    }

    /** Up to {@code max} messages of {@code partition} from {@code fromOffset} on. */
    public synchronized List<SourceRecord> read(int partition, long fromOffset, int max) {
        List<SourceRecord> log = partitions.get(partition);
        int from = (int) Math.min(Math.max(fromOffset, 0), log.size());
        int to = (int) Math.min((long) from + max, log.size());
        return new ArrayList<>(log.subList(from, to));
    }

    /** The offset the next message of {@code partition} will get. */
    public synchronized long endOffset(int partition) {
        return partitions.get(partition).size();
    }

    /** Messages appended so far, in all partitions. */
    public synchronized long size() {
        return appends;
    }

    /**
     * Waits until more than {@code seen} messages were appended, {@code stop} says so (checked after
     * each {@link #wakeAll()}), or the timeout passes.
     */
    synchronized void awaitMoreThan(long seen, Duration timeout, BooleanSupplier stop) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = timeout.toNanos();
        while (appends <= seen && left > 0 && !stop.getAsBoolean()) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            left = deadline - System.nanoTime();
        }
    }

    /** Wakes every waiting reader so that it checks its stop condition. */
    synchronized void wakeAll() {
        notifyAll();
    }
}
