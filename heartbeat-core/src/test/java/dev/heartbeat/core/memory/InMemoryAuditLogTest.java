package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.port.AuditLogContract;

class InMemoryAuditLogTest extends AuditLogContract {

    @Override
    protected AuditLog emptyLog() {
        return new InMemoryAuditLog();
    }
}
