package dev.heartbeat.core.memory;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.StreamPositions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads every partition of an {@link InMemoryBus}, starting from the positions the store holds
 * (on start and after each {@link #rewind()}), like the Kafka source does for its assignment; each
 * such (re)start is a new assignment generation.
 * Batches take at most {@code maxBatch} messages, round-robin over partitions.
 */
public final class InMemoryReadingSource implements ReadingSource {

    private final InMemoryBus bus;
    private final int maxBatch;
    private final List<StreamPartition> partitions;
    private final long[] fetchPositions;
    private StreamPositions positions;
    private boolean positioned;
    private boolean paused;
    private int nextPartition;
    private long generation;
    private volatile boolean wakeup;

    public InMemoryReadingSource(InMemoryBus bus, int maxBatch) {
        this.bus = Objects.requireNonNull(bus, "bus");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1");
        }
        this.maxBatch = maxBatch;
        this.partitions = bus.partitions();
        this.fetchPositions = new long[partitions.size()];
    }

    @Override
    public void start(StreamPositions positions) {
        this.positions = Objects.requireNonNull(positions, "positions");
        this.positioned = false;
    }

    @Override
    public SourceBatch poll(Duration timeout) {
        if (positions == null) {
            throw new IllegalStateException("start() the source before polling it");
        }
        if (wakeup) {
            wakeup = false;
            return SourceBatch.EMPTY;
        }
        if (!positioned && !seekToStoredPositions()) {
            bus.awaitMoreThan(Long.MAX_VALUE, timeout, () -> wakeup);
            return SourceBatch.EMPTY;
        }
        if (paused) {
            bus.awaitMoreThan(Long.MAX_VALUE, timeout, () -> wakeup);
            return SourceBatch.EMPTY;
        }
        long seen = bus.size();
        List<SourceRecord> records = fetch();
        if (records.isEmpty()) {
            bus.awaitMoreThan(seen, timeout, () -> wakeup);
            records = wakeup ? List.of() : fetch();
        }
        return records.isEmpty() ? SourceBatch.EMPTY : SourceBatch.of(records, generation);
    }

    private boolean seekToStoredPositions() {
        Map<StreamPartition, Long> stored;
        try {
            stored = positions.positions(partitions);
        } catch (HeartbeatException unavailable) {
            return false;
        }
        for (int i = 0; i < partitions.size(); i++) {
            fetchPositions[i] = stored.getOrDefault(partitions.get(i), 0L);
        }
        positioned = true;
        generation++;
        return true;
    }

    private List<SourceRecord> fetch() {
        List<SourceRecord> records = new ArrayList<>();
        int count = partitions.size();
        for (int step = 0; step < count && records.size() < maxBatch; step++) {
            int p = (nextPartition + step) % count;
            List<SourceRecord> read = bus.read(p, fetchPositions[p], maxBatch - records.size());
            if (!read.isEmpty()) {
                fetchPositions[p] = read.getLast().offset() + 1;
                records.addAll(read);
            }
        }
        nextPartition = (nextPartition + 1) % count;
        return records;
    }

    @Override
    public void committed(SourceBatch batch) {
        // the store holds the positions; a bus has no group offsets to tell
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public void rewind() {
        positioned = false;
    }

    @Override
    public void wakeup() {
        wakeup = true;
        bus.wakeAll();
    }

    @Override
    public void close() {
    }
}
