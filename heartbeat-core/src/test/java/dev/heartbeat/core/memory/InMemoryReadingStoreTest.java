package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.ReadingStoreContract;

import java.time.Clock;

class InMemoryReadingStoreTest extends ReadingStoreContract {

    @Override
    protected ReadingStore emptyStore() {
        return new InMemoryReadingStore(Clock.systemUTC());
    }
}
