package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingPublisherContract;
import dev.heartbeat.core.port.TestStream;

/** Core's publisher contract against the in-memory publisher, read back by the in-memory source. */
class InMemoryReadingPublisherTest extends ReadingPublisherContract {

    @Override
    protected TestStream stream(int partitions) {
        return InMemoryTestStream.of(partitions);
    }
}
