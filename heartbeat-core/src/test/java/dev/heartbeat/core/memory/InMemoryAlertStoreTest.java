package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.AlertStoreContract;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.SilenceStore;

import java.time.Clock;

class InMemoryAlertStoreTest extends AlertStoreContract {

    private InMemoryDatabase database;

    @Override
    protected ReadingStore emptyStore() {
        database = new InMemoryDatabase(Clock.systemUTC());
        return database.store();
    }

    @Override
    protected AlertStore alertsOf(ReadingStore store) {
        return database.alerts();
    }

    @Override
    protected AlertOutbox outboxOf(ReadingStore store) {
        return database.outbox();
    }

    @Override
    protected SilenceStore silencesOf(ReadingStore store) {
        return database.silences();
    }
}
