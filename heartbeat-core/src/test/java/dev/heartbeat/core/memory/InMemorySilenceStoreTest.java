package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.port.SilenceStoreContract;

import java.time.Clock;

class InMemorySilenceStoreTest extends SilenceStoreContract {

    private InMemoryDatabase database;

    @Override
    protected SilenceStore emptyStore() {
        database = new InMemoryDatabase(Clock.systemUTC());
        return database.silences();
    }

    @Override
    protected SilenceStore reopened() {
        return database.silences();
    }
}
