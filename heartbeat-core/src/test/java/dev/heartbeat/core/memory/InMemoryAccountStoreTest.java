package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.AccountStore;
import dev.heartbeat.core.port.AccountStoreContract;

class InMemoryAccountStoreTest extends AccountStoreContract {

    @Override
    protected AccountStore emptyStore() {
        return new InMemoryAccountStore();
    }
}
