package dev.heartbeat.postgres;

import dev.heartbeat.core.port.AccountStore;
import dev.heartbeat.core.port.AccountStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's account contract against PostgreSQL. */
class PostgresAccountStoreTest extends AccountStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("account_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected AccountStore emptyStore() {
        TestDatabases.truncate(database);
        return new PostgresAccountStore(database);
    }
}
