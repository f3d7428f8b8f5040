package dev.heartbeat.postgres;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.ReadingStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's store contract against PostgreSQL: exactly once with positions, duplicates counted, rejects kept. */
class PostgresReadingStoreTest extends ReadingStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("store_contract");
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
    protected ReadingQueries queriesOf(ReadingStore store) {
        return new PostgresReadingQueries(database);
    }
}
