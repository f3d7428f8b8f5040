package dev.heartbeat.postgres;

import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertHistory;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The alerts in PostgreSQL ({@code alerts}, {@code alert_outbox}; written by
 * {@link PostgresReadingStore} in each batch's transaction): what the engine restores, what the
 * dashboard shows and acknowledges, and the outbox the dispatcher delivers from.
 */
public final class PostgresAlertStore implements AlertStore, AlertOutbox {

    private final Jdbi jdbi;

    public PostgresAlertStore(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    @Override
    public List<Alert> openAlerts(Collection<CustomerId> customers) {
        if (customers.isEmpty()) {
            return List.of();
        }
        String[] ids = customers.stream().map(CustomerId::value).toArray(String[]::new);
        return run("reading open alerts", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + AlertRows.COLUMNS + " FROM alerts a WHERE a.state = 'firing' AND a.customer_id = ANY(:ids)")
                .bind("ids", ids)
                .map((rs, ctx) -> AlertRows.stored(rs).alert())
                .list()));
    }

    @Override
    public AlertHistory recent(Collection<CustomerId> customers, Instant since) {
        if (customers.isEmpty()) {
            return AlertHistory.NONE;
        }
        String[] ids = customers.stream().map(CustomerId::value).toArray(String[]::new);
        OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
        return run("reading the recent alerts and readings", () -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
                handle -> {
                    List<Alert> alerts = handle.createQuery("SELECT " + AlertRows.COLUMNS + " FROM alerts a"
                                    + " WHERE a.customer_id = ANY(:ids) AND (a.state = 'firing' OR a.resolved_at >= :since)")
                            .bind("ids", ids).bind("since", from)
                            .map((rs, ctx) -> AlertRows.stored(rs).alert())
                            .list();
                    // from :since, or from the last transition of the customer's open alert when that is earlier
                    List<Reading> readings = handle.createQuery("""
                                    SELECT r.customer_id, r.recorded_at, r.heart_rate, r.activity
                                    FROM unnest(CAST(:ids AS text[])) AS u(id)
                                    CROSS JOIN LATERAL (SELECT least(CAST(:since AS timestamptz),
                                        (SELECT min(a.last_at) FROM alerts a WHERE a.customer_id = u.id AND a.state = 'firing'))
                                        AS since) b
                                    JOIN heartbeat_records r ON r.customer_id = u.id AND r.recorded_at >= b.since
                                    WHERE r.recorded_at >= least(CAST(:since AS timestamptz), (SELECT min(a.last_at)
                                        FROM alerts a WHERE a.customer_id = ANY(:ids) AND a.state = 'firing'))
                                    ORDER BY r.recorded_at, r.customer_id""")
                            .bind("ids", ids).bind("since", from)
                            .map((rs, ctx) -> ReadingRows.reading(rs))
                            .list();
                    return new AlertHistory(alerts.stream().filter(Alert::isOpen).toList(),
                            alerts.stream().filter(a -> !a.isOpen()).toList(), readings);
                }));
    }

    @Override
    public List<StoredAlert> active(int limit) {
        return run("reading active alerts", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + AlertRows.COLUMNS + " FROM alerts a WHERE a.state = 'firing' "
                                + "ORDER BY heartbeat_severity(a.severity) DESC, "
                                + "a.fired_at DESC, a.id LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> AlertRows.stored(rs))
                .list()));
    }

    @Override
    public Page<StoredAlert> history(Optional<CustomerId> customer, TimeRange range, PageRequest page) {
        Optional<Cursor> after = page.after();
        String sql = "SELECT " + AlertRows.COLUMNS + " FROM alerts a WHERE a.fired_at >= :from AND a.fired_at < :to"
                + (customer.isPresent() ? " AND a.customer_id = :customer" : "")
                + (after.isPresent() ? " AND (a.fired_at, a.id) < (:afterAt, :afterId)" : "")
                + " ORDER BY a.fired_at DESC, a.id DESC LIMIT :limit";
        List<StoredAlert> rows = run("reading alert history", () -> jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql)
                    .bind("from", range.from())
                    .bind("to", range.to())
                    .bind("limit", page.limit() + 1);
            customer.ifPresent(c -> query.bind("customer", c.value()));
            after.ifPresent(c -> query.bind("afterAt", c.at()).bind("afterId", c.key()));
            return query.map((rs, ctx) -> AlertRows.stored(rs)).list();
        }));
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, Optional.empty());
        }
        List<StoredAlert> items = rows.subList(0, page.limit());
        Alert last = items.getLast().alert();
        return new Page<>(items, Optional.of(new Cursor(last.firedAt(), last.id())));
    }

    @Override
    public Optional<StoredAlert> alert(String id) {
        return run("reading an alert", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + AlertRows.COLUMNS + " FROM alerts a WHERE a.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> AlertRows.stored(rs))
                .findOne()));
    }

    @Override
    public Optional<StoredAlert> acknowledge(String id, Acknowledgement acknowledgement) {
        run("acknowledging an alert", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE alerts SET acknowledged_at = :at, acknowledged_by = :by, acknowledged_note = :note, "
                                + "updated_at = now() WHERE id = :id AND acknowledged_at IS NULL")
                .bind("id", id)
                .bind("at", acknowledgement.at())
                .bind("by", acknowledgement.by())
                .bind("note", acknowledgement.note().orElse(null))
                .execute()));
        return alert(id);
    }

    @Override
    public List<PendingDelivery> due(Instant now, int limit) {
        // The claim moves next_attempt_at past the lease. Two consumers claiming at once pick the same
        // rows, but the second one's UPDATE waits for the first's row lock, then re-checks
        // next_attempt_at <= :now on the updated row and skips it: each transition is handed out once.
        return run("claiming from the alert outbox", () -> jdbi.inTransaction(handle -> handle.createQuery("""
                        WITH claimed AS (
                            UPDATE alert_outbox SET next_attempt_at = :leaseUntil
                            WHERE id IN (SELECT first.id
                                         FROM (SELECT DISTINCT ON (alert_id) id, next_attempt_at FROM alert_outbox
                                               WHERE delivered_at IS NULL AND NOT held ORDER BY alert_id, id) first
                                         WHERE first.next_attempt_at <= :now
                                         ORDER BY first.id
                                         LIMIT :limit)
                              AND next_attempt_at <= :now AND delivered_at IS NULL AND NOT held
                            RETURNING *)
                        SELECT o.id AS outbox_id, o.kind, o.at, o.attempts, o.escalation_level AS o_level,
                               o.severity AS o_severity, o.state AS o_state,
                               o.last_at AS o_last_at, o.last_heart_rate AS o_last_heart_rate, o.last_activity AS o_last_activity,
                               o.peak_at AS o_peak_at, o.peak_heart_rate AS o_peak_heart_rate, o.peak_activity AS o_peak_activity,
                               o.resolved_at AS o_resolved_at,
                               EXISTS (SELECT 1 FROM alert_outbox d WHERE d.alert_id = o.alert_id AND d.id < o.id
                                       AND d.delivered_at IS NOT NULL AND NOT d.skipped) AS announced, %s
                        FROM claimed o
                        JOIN alerts a ON a.id = o.alert_id
                        ORDER BY o.id""".formatted(AlertRows.COLUMNS))
                .bind("now", now)
                .bind("leaseUntil", now.plus(CLAIM_LEASE))
                .bind("limit", limit)
                .map((rs, ctx) -> new PendingDelivery(rs.getLong("outbox_id"), new AlertTransition(
                        AlertTransition.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                        AlertRows.alert(rs, "o_"),
                        rs.getTimestamp("at").toInstant(), rs.getInt("o_level")), rs.getInt("attempts"),
                        rs.getBoolean("announced")))
                .list()));
    }

    @Override
    public void delivered(long id, Instant at) {
        run("marking an alert delivered", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        // delivered is the truth, whatever a dispatcher whose lease ran out decided meanwhile
                        "UPDATE alert_outbox SET delivered_at = :at, held = false, skipped = false, attempts = attempts + 1, "
                                + "last_error = NULL WHERE id = :id")
                .bind("id", id).bind("at", at).execute()));
    }

    @Override
    public void failed(long id, int attempts, Instant nextAttemptAt, String error) {
        run("recording a failed alert delivery", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE alert_outbox SET attempts = :attempts, next_attempt_at = :next, last_error = :error WHERE id = :id")
                .bind("id", id).bind("attempts", attempts).bind("next", nextAttemptAt)
                .bind("error", error.length() > 500 ? error.substring(0, 500) : error).execute()));
    }

    @Override
    public void hold(long id, long silenceId) {
        // a transition delivered meanwhile (another dispatcher took it over after the lease) stays delivered
        run("holding an alert back", () -> jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE alert_outbox SET held = true, silence_id = :silence, next_attempt_at = '-infinity'
                        WHERE id = :id AND delivered_at IS NULL""")
                .bind("id", id).bind("silence", silenceId).execute()));
    }

    @Override
    public void skip(long id, Instant at) {
        run("dropping an alert transition", () -> jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE alert_outbox SET held = false, skipped = true, delivered_at = :at
                        WHERE delivered_at IS NULL
                          AND (id = :id OR (held AND alert_id = (SELECT alert_id FROM alert_outbox WHERE id = :id)))""")
                .bind("id", id).bind("at", at).execute()));
    }

    /**
     * The alerts with transitions held by silences no longer in effect are locked, whole (an alert another
     * dispatcher is releasing, or whose batch is being written, is skipped until the next round); of each
     * one still firing, the newest held transition is handed out again when nothing later of that alert
     * exists but what was dropped; the others are dropped.
     */
    @Override
    public int release(Collection<Long> inEffect, Instant at) {
        List<Boolean> released = run("releasing silenced alerts", () -> jdbi.inTransaction(handle -> handle.createQuery("""
                        WITH locked AS (
                            SELECT a.id, a.state FROM alerts a
                            WHERE a.id IN (SELECT alert_id FROM alert_outbox WHERE held AND delivered_at IS NULL
                                           AND (silence_id IS NULL OR NOT silence_id = ANY(CAST(:inEffect AS bigint[]))))
                            ORDER BY a.id
                            FOR UPDATE OF a SKIP LOCKED
                        ), over AS (
                            SELECT o.id, o.alert_id, l.state FROM alert_outbox o JOIN locked l ON l.id = o.alert_id
                            WHERE o.held AND o.delivered_at IS NULL
                              AND (o.silence_id IS NULL OR NOT o.silence_id = ANY(CAST(:inEffect AS bigint[])))
                        ), kept AS (
                            SELECT n.id FROM (SELECT DISTINCT ON (alert_id) id, alert_id, state FROM over
                                              ORDER BY alert_id, id DESC) n
                            WHERE n.state = 'firing'
                              AND NOT EXISTS (SELECT 1 FROM alert_outbox l WHERE l.alert_id = n.alert_id AND l.id > n.id
                                              AND NOT l.skipped)
                        )
                        UPDATE alert_outbox o SET held = false, next_attempt_at = '-infinity',
                            skipped = o.id NOT IN (SELECT id FROM kept),
                            delivered_at = CASE WHEN o.id IN (SELECT id FROM kept) THEN NULL ELSE CAST(:at AS timestamptz) END
                        FROM over WHERE o.id = over.id
                        RETURNING NOT o.skipped AS released""")
                .bind("inEffect", inEffect.toArray(Long[]::new))
                .bind("at", at)
                .mapTo(Boolean.class)
                .list()));
        return (int) released.stream().filter(Boolean::booleanValue).count();
    }

    /**
     * One statement per kind, in one transaction: the due alerts are locked (a row another dispatcher
     * holds is skipped, and one it has just updated no longer matches), their level or last sending
     * moved on, and the reminder queued with that state. Escalations first: an alert escalated now was
     * just sent, so it is not repeated too.
     */
    private static final String REMIND = """
            WITH due AS (
                SELECT id FROM alerts
                WHERE state = 'firing' AND acknowledged_at IS NULL AND %s <= :now
                ORDER BY id
                FOR UPDATE SKIP LOCKED
            ), sent AS (
                UPDATE alerts a SET %s, notified_at = :now
                FROM due WHERE a.id = due.id
                RETURNING a.*
            )
            INSERT INTO alert_outbox (alert_id, kind, at, escalation_level, severity, state, last_at, last_heart_rate,
                last_activity, peak_at, peak_heart_rate, peak_activity, resolved_at)
            SELECT id, :kind, :now, escalation_level, severity, state, last_at, last_heart_rate, last_activity,
                peak_at, peak_heart_rate, peak_activity, resolved_at
            FROM sent
            RETURNING alert_id, escalation_level""";

    @Override
    public List<AlertTransition> remind(Instant now, Reminders reminders) {
        return run("queueing alert reminders", () -> jdbi.inTransaction(handle -> {
            Map<String, Integer> escalated = new LinkedHashMap<>();
            Map<String, Integer> repeated = new LinkedHashMap<>();
            if (!reminders.escalateAfter().isZero()) {
                queueReminders(handle, "raised_at + (escalation_level + 1) * :every * interval '1 millisecond'",
                        "escalation_level = a.escalation_level + 1", "unacknowledged", reminders.escalateAfter(), now, escalated);
            }
            if (!reminders.repeatEvery().isZero()) {
                queueReminders(handle, "notified_at + :every * interval '1 millisecond'", "escalation_level = a.escalation_level",
                        "repeated", reminders.repeatEvery(), now, repeated);
            }
            if (escalated.isEmpty() && repeated.isEmpty()) {
                return List.<AlertTransition>of();
            }
            Map<String, Alert> alerts = new HashMap<>();
            handle.createQuery("SELECT " + AlertRows.COLUMNS + " FROM alerts a WHERE a.id = ANY(:ids)")
                    .bind("ids", java.util.stream.Stream.concat(escalated.keySet().stream(), repeated.keySet().stream())
                            .toArray(String[]::new))
                    .map((rs, ctx) -> AlertRows.stored(rs).alert())
                    .forEach(alert -> alerts.put(alert.id(), alert));
            List<AlertTransition> queued = new ArrayList<>();
            escalated.forEach((id, level) -> queued.add(new AlertTransition(AlertTransition.Kind.UNACKNOWLEDGED,
                    alerts.get(id), now, level)));
            repeated.forEach((id, level) -> queued.add(new AlertTransition(AlertTransition.Kind.REPEATED,
                    alerts.get(id), now, level)));
            return queued;
        }));
    }

    private static void queueReminders(org.jdbi.v3.core.Handle handle, String dueAt, String raise, String kind, Duration every,
                                       Instant now, Map<String, Integer> queued) {
        handle.createQuery(REMIND.formatted(dueAt, raise))
                .bind("every", every.toMillis())
                .bind("now", now)
                .bind("kind", kind)
                .map((rs, ctx) -> Map.entry(rs.getString("alert_id"), rs.getInt("escalation_level")))
                .forEach(entry -> queued.put(entry.getKey(), entry.getValue()));
    }

    private static <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }
}
