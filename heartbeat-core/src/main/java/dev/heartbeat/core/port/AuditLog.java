package dev.heartbeat.core.port;

import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The append-only audit trail: who read whose data, who acted, who signed in. Each appended event
 * becomes the next {@link AuditRecord} of one hash chain, even when several processes append at once.
 */
public interface AuditLog {

    /** What to look for; empty parts match everything. */
    record Filter(Optional<String> actor, Optional<String> customer, Optional<String> action, Instant from, Instant to) {
    }

    /** Appends the event as the chain's next record; throws {@link dev.heartbeat.core.StoreUnavailableException} if it cannot. */
    AuditRecord append(AuditEvent event);

    /** Matching records, newest first; the cursor's key is a record's {@code seq}. */
    Page<AuditRecord> find(Filter filter, PageRequest page);

    /** Every record in chain order, for checking the chain. */
    void forEachInOrder(Consumer<AuditRecord> action);
}
