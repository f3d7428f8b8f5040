package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingQueriesContract;
import dev.heartbeat.core.port.ReadingStore;

import java.time.Clock;

class InMemoryReadingQueriesTest extends ReadingQueriesContract {

    @Override
    protected ReadingStore emptyStore() {
        return new InMemoryReadingStore(Clock.systemUTC());
    }
}
