package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.AlertStoreContract;
import dev.heartbeat.core.port.ReadingStore;

import java.time.Clock;

class InMemoryAlertStoreTest extends AlertStoreContract {

    @Override
    protected ReadingStore emptyStore() {
        return new InMemoryReadingStore(Clock.systemUTC());
    }
}
