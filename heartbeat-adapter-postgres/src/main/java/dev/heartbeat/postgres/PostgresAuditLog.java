package dev.heartbeat.postgres;

import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The audit trail in PostgreSQL ({@code audit_log}, {@code audit_head}; schema versions 8 and 10). Appending
 * locks the one head row, so appends from every process form one chain; the hash is computed here,
 * from exactly what is stored (times to the microsecond).
 */
public final class PostgresAuditLog implements AuditLog {

    private static final String COLUMNS = "seq, at, actor, role, action, customer_id, alert_id, client, outcome, previous_hash, hash";

    private final Jdbi jdbi;

    public PostgresAuditLog(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        return run("writing an audit record", () -> jdbi.inTransaction(handle -> {
            var head = handle.createQuery("SELECT seq, hash FROM audit_head FOR UPDATE")
                    .map((rs, ctx) -> new Object[] {rs.getLong("seq"), rs.getString("hash")}).one();
            AuditRecord record = AuditRecord.next((Long) head[0], (String) head[1], event);
            handle.createUpdate("INSERT INTO audit_log (" + COLUMNS + ") VALUES (:seq, :at, :actor, :role, :action, :customer, "
                            + ":alert, :client, :outcome, :previous, :hash)")
                    .bind("seq", record.seq())
                    .bind("at", Timestamp.from(event.at()))
                    .bind("actor", event.actor())
                    .bind("role", event.role())
                    .bind("action", event.action())
                    .bind("customer", event.customer().orElse(null))
                    .bind("alert", event.alert().orElse(null))
                    .bind("client", event.client())
                    .bind("outcome", event.outcome())
                    .bind("previous", record.previousHash())
                    .bind("hash", record.hash())
                    .execute();
            handle.createUpdate("UPDATE audit_head SET seq = :seq, hash = :hash")
                    .bind("seq", record.seq()).bind("hash", record.hash()).execute();
            return record;
        }));
    }

    /**
     * Removes the records older than {@code keep} by the database's clock, as a prefix of the chain (never
     * the newest record), through the owner's {@code heartbeat_trim_audit}; what remains still verifies.
     *
     * @return how many records were removed
     */
    public long trim(Duration keep) {
        return run("trimming the audit trail", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT heartbeat_trim_audit(make_interval(secs => :seconds))")
                .bind("seconds", (double) keep.toSeconds())
                .mapTo(Long.class).one()));
    }

    @Override
    public Page<AuditRecord> find(Filter filter, PageRequest page) {
        Optional<Cursor> after = page.after();
        String sql = "SELECT " + COLUMNS + " FROM audit_log WHERE at >= :from AND at < :to"
                + (filter.actor().isPresent() ? " AND actor = :actor" : "")
                + (filter.customer().isPresent() ? " AND customer_id = :customer" : "")
                + (filter.action().isPresent() ? " AND action = :action" : "")
                + (after.isPresent() ? " AND seq < :before" : "")
                + " ORDER BY seq DESC LIMIT :limit";
        List<AuditRecord> rows = run("reading the audit trail", () -> jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql)
                    .bind("from", Timestamp.from(filter.from()))
                    .bind("to", Timestamp.from(filter.to()))
                    .bind("limit", page.limit() + 1);
            filter.actor().ifPresent(a -> query.bind("actor", a));
            filter.customer().ifPresent(c -> query.bind("customer", c));
            filter.action().ifPresent(a -> query.bind("action", a));
            after.ifPresent(c -> query.bind("before", Long.parseLong(c.key())));
            return query.map((rs, ctx) -> record(rs)).list();
        }));
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, Optional.empty());
        }
        List<AuditRecord> items = rows.subList(0, page.limit());
        AuditRecord last = items.getLast();
        return new Page<>(items, Optional.of(new Cursor(last.event().at(), Long.toString(last.seq()))));
    }

    @Override
    public void forEachInOrder(Consumer<AuditRecord> action) {
        // in a transaction, so that the fetch size streams through a cursor instead of loading the table
        run("reading the audit trail", () -> jdbi.inTransaction(handle -> {
            try (var rows = handle.createQuery("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")
                    .setFetchSize(10_000).map((rs, ctx) -> record(rs)).stream()) {
                rows.forEach(action);
            }
            return null;
        }));
    }

    private static AuditRecord record(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("role"),
                rs.getString("action"), Optional.ofNullable(rs.getString("customer_id")), Optional.ofNullable(rs.getString("alert_id")),
                rs.getString("client"), rs.getString("outcome"));
        return new AuditRecord(rs.getLong("seq"), event, rs.getString("previous_hash"), rs.getString("hash"));
    }

    private static <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }
}
