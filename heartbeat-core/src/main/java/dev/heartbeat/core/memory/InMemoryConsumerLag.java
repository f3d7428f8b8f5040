package dev.heartbeat.core.memory;

import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.StreamPositions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Lag of a store behind an {@link InMemoryBus}: end offset minus stored position, per partition. */
public final class InMemoryConsumerLag implements ConsumerLag {

    private final InMemoryBus bus;
    private final StreamPositions positions;

    public InMemoryConsumerLag(InMemoryBus bus, StreamPositions positions) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.positions = Objects.requireNonNull(positions, "positions");
    }

    @Override
    public List<PartitionLag> lag() {
        List<StreamPartition> partitions = bus.partitions();
        Map<StreamPartition, Long> stored = positions.positions(partitions);
        List<PartitionLag> lags = new ArrayList<>(partitions.size());
        for (StreamPartition partition : partitions) {
            lags.add(new PartitionLag(partition, bus.endOffset(partition.partition()), stored.getOrDefault(partition, 0L)));
        }
        return lags;
    }
}
