package dev.heartbeat.postgres;

import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingQueriesContract;
import dev.heartbeat.core.port.ReadingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's query contract against PostgreSQL with nothing summarized: every answer comes from the readings
 * and the "not summarized yet" side of each query.
 */
class PostgresReadingQueriesTest extends ReadingQueriesContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("queries_contract");
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
