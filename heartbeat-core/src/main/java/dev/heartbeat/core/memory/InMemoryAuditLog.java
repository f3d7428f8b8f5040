package dev.heartbeat.core.memory;

import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The audit trail in memory: for the in-memory demo, tests and embedders. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditRecord> records = new ArrayList<>();

    @Override
    public synchronized AuditRecord append(AuditEvent event) {
        AuditRecord last = records.isEmpty() ? null : records.getLast();
        AuditRecord record = AuditRecord.next(last == null ? 0 : last.seq(), last == null ? AuditRecord.GENESIS : last.hash(), event);
        records.add(record);
        return record;
    }

    @Override
    public synchronized Page<AuditRecord> find(Filter filter, PageRequest page) {
        long before = page.after().map(c -> Long.parseLong(c.key())).orElse(Long.MAX_VALUE);
        List<AuditRecord> found = new ArrayList<>();
        for (int i = records.size() - 1; i >= 0 && found.size() <= page.limit(); i--) {
            AuditRecord r = records.get(i);
            AuditEvent e = r.event();
            if (r.seq() < before && !e.at().isBefore(filter.from()) && e.at().isBefore(filter.to())
                    && filter.actor().map(e.actor()::equals).orElse(true)
                    && filter.customer().map(c -> e.customer().map(c::equals).orElse(false)).orElse(true)
                    && filter.action().map(e.action()::equals).orElse(true)) {
                found.add(r);
            }
        }
        if (found.size() <= page.limit()) {
            return new Page<>(found, Optional.empty());
        }
        List<AuditRecord> items = found.subList(0, page.limit());
        AuditRecord last = items.getLast();
        return new Page<>(items, Optional.of(new Cursor(last.event().at(), Long.toString(last.seq()))));
    }

    @Override
    public synchronized void forEachInOrder(Consumer<AuditRecord> action) {
        List.copyOf(records).forEach(action);
    }
}
