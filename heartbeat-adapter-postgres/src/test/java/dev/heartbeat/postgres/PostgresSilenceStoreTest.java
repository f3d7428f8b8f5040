package dev.heartbeat.postgres;

import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.port.SilenceStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's silence contract against PostgreSQL: kept, listed, ended once, shared by every process. */
class PostgresSilenceStoreTest extends SilenceStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("silence_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected SilenceStore emptyStore() {
        TestDatabases.truncate(database);
        return new PostgresSilenceStore(database);
    }

    @Override
    protected SilenceStore reopened() {
        return new PostgresSilenceStore(database);
    }
}
