package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingSourceContract;
import dev.heartbeat.core.port.TestStream;

/** Core's source contract against the in-memory source, on a bus of each test's own. */
class InMemoryReadingSourceTest extends ReadingSourceContract {

    @Override
    protected TestStream stream(int partitions) {
        return InMemoryTestStream.of(partitions);
    }
}
