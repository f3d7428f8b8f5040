package dev.heartbeat.postgres;

import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.AlertStoreContract;
import dev.heartbeat.core.port.ReadingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's alert contract against PostgreSQL: transitions with their batch, the database as arbiter, the outbox. */
class PostgresAlertStoreTest extends AlertStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("alert_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected ReadingStore emptyStore() {
        TestDatabases.truncate(database);
        return new PostgresReadingStore(database);
    }

    @Override
    protected AlertStore alertsOf(ReadingStore store) {
        return new PostgresAlertStore(database);
    }

    @Override
    protected AlertOutbox outboxOf(ReadingStore store) {
        return new PostgresAlertStore(database);
    }
}
