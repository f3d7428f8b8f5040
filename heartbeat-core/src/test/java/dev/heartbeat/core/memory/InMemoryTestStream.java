package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.port.StreamFixtures;
import dev.heartbeat.core.port.TestStream;
import dev.heartbeat.core.stream.StreamPartition;

import java.util.List;

/** A bus of its own for one contract test, with the in-memory publisher and source of it. */
record InMemoryTestStream(InMemoryBus bus) implements TestStream {

    static InMemoryTestStream of(int partitions) {
        return new InMemoryTestStream(new InMemoryBus(StoreFixtures.TOPIC, partitions));
    }

    @Override
    public List<StreamPartition> partitions() {
        return bus.partitions();
    }

    @Override
    public ReadingPublisher publisher() {
        return new InMemoryReadingPublisher(bus);
    }

    @Override
    public ReadingSource source() {
        return new InMemoryReadingSource(bus, StreamFixtures.MAX_BATCH);
    }
}
