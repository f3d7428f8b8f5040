package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.ReadingStoreContract;

import java.time.Clock;

class InMemoryReadingStoreTest extends ReadingStoreContract {

    private InMemoryDatabase database;

    @Override
    protected ReadingStore emptyStore() {
        database = new InMemoryDatabase(Clock.systemUTC());
        return database.store();
    }

    @Override
    protected ReadingQueries queriesOf(ReadingStore store) {
        return database.queries();
    }
}
