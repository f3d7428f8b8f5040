package dev.heartbeat.postgres;

import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Alerts to rows and back, and the one write step of a batch that applies its alert transitions:
 * the database is the arbiter, so a transition that does not fit the stored alert (a second FIRED
 * of the same alert, a RESOLVED of an alert already resolved) changes nothing and is not queued.
 */
final class AlertRows {

    static final String COLUMNS = "a.id, a.customer_id, a.rule, a.rule_pending_ms, a.rule_resolve_after_ms, a.rule_explained_by, "
            + "a.severity, a.state, a.first_at, a.first_heart_rate, a.first_activity, a.last_at, a.last_heart_rate, "
            + "a.last_activity, a.peak_at, a.peak_heart_rate, a.peak_activity, a.fired_at, a.resolved_at, "
            + "a.acknowledged_at, a.acknowledged_by, a.acknowledged_note, a.escalation_level";

    private AlertRows() {
    }

    /** Applies the transitions in order inside the batch's transaction; returns how many applied. */
    static int apply(Handle handle, List<AlertTransition> transitions) {
        int applied = 0;
        for (AlertTransition transition : transitions) {
            Alert alert = transition.alert();
            int changed = switch (transition.kind()) {
                case FIRED -> bindState(handle.createUpdate("""
                        INSERT INTO alerts (id, customer_id, rule, rule_pending_ms, rule_resolve_after_ms, rule_explained_by,
                            severity, state, first_at, first_heart_rate, first_activity, last_at, last_heart_rate,
                            last_activity, peak_at, peak_heart_rate, peak_activity, fired_at, resolved_at)
                        VALUES (:id, :customer, :rule, :pending, :resolveAfter, :explainedBy, :severity, :state,
                            :firstAt, :firstRate, :firstActivity, :lastAt, :lastRate, :lastActivity,
                            :peakAt, :peakRate, :peakActivity, :firedAt, :resolvedAt)
                        ON CONFLICT (id) DO NOTHING"""), alert)
                        .bind("id", alert.id())
                        .bind("customer", alert.customer().value())
                        .bind("rule", alert.rule().name())
                        .bind("pending", pendingText(alert.rule()))
                        .bind("resolveAfter", alert.rule().resolveAfter().toMillis())
                        .bind("explainedBy", alert.rule().explainedBy().stream().map(Activity::wireName).sorted()
                                .collect(Collectors.joining(",")))
                        .bind("firstAt", alert.firstTriggering().recordedAt())
                        .bind("firstRate", alert.firstTriggering().heartRate())
                        .bind("firstActivity", alert.firstTriggering().activity().wireName())
                        .bind("firedAt", alert.firedAt())
                        .execute();
                case ESCALATED, RESOLVED -> bindState(handle.createUpdate("""
                        UPDATE alerts SET severity = :severity, state = :state, last_at = :lastAt,
                            last_heart_rate = :lastRate, last_activity = :lastActivity, peak_at = :peakAt,
                            peak_heart_rate = :peakRate, peak_activity = :peakActivity, resolved_at = :resolvedAt,
                            updated_at = now(), notified_at = now()
                        WHERE id = :id AND state = 'firing'"""), alert)
                        .bind("id", alert.id())
                        .execute();
                case UNACKNOWLEDGED, REPEATED -> 0; // the outbox queues reminders itself, never a batch
            };
            if (changed == 1) {
                queue(handle, transition);
                applied++;
            }
        }
        return applied;
    }

    private static void queue(Handle handle, AlertTransition transition) {
        Alert alert = transition.alert();
        bindState(handle.createUpdate("""
                INSERT INTO alert_outbox (alert_id, kind, at, escalation_level, severity, state, last_at, last_heart_rate,
                    last_activity, peak_at, peak_heart_rate, peak_activity, resolved_at)
                VALUES (:id, :kind, :at, :level, :severity, :state, :lastAt, :lastRate, :lastActivity, :peakAt, :peakRate,
                    :peakActivity, :resolvedAt)"""), alert)
                .bind("id", alert.id())
                .bind("kind", transition.kind().name().toLowerCase(Locale.ROOT))
                .bind("at", transition.at())
                .bind("level", transition.escalationLevel())
                .execute();
    }

    /**
     * Binds what changes over an alert's life (severity, state, last and peak readings, resolution) as
     * every statement that writes it names it: the alert's row when it fires and changes, the outbox's
     * snapshot of each transition.
     */
    private static Update bindState(Update statement, Alert alert) {
        return statement
                .bind("severity", alert.severity().wireName())
                .bind("state", state(alert.state()))
                .bind("lastAt", alert.lastTriggering().recordedAt())
                .bind("lastRate", alert.lastTriggering().heartRate())
                .bind("lastActivity", alert.lastTriggering().activity().wireName())
                .bind("peakAt", alert.peak().recordedAt())
                .bind("peakRate", alert.peak().heartRate())
                .bind("peakActivity", alert.peak().activity().wireName())
                .bind("resolvedAt", alert.resolvedAt().orElse(null));
    }

    static String state(AlertState state) {
        return switch (state) {
            case PENDING -> throw new IllegalArgumentException("pending alerts are never stored");
            case FIRING -> "firing";
            case RESOLVED -> "resolved";
        };
    }

    static String pendingText(AlertRule rule) {
        return rule.pendingFor().entrySet().stream()
                .map(e -> e.getKey().wireName() + ":" + e.getValue().toMillis())
                .collect(Collectors.joining(","));
    }

    static AlertRule rule(String name, String pending, long resolveAfterMillis, String explainedBy) {
        Map<AnomalyLevel, Duration> levels = new EnumMap<>(AnomalyLevel.class);
        for (String part : pending.split(",")) {
            String[] pair = part.split(":");
            levels.put(AnomalyLevel.fromWireName(pair[0]).orElseThrow(), Duration.ofMillis(Long.parseLong(pair[1])));
        }
        Set<Activity> explained = EnumSet.noneOf(Activity.class);
        if (!explainedBy.isEmpty()) {
            for (String activity : explainedBy.split(",")) {
                explained.add(Activity.fromWireName(activity).orElseThrow());
            }
        }
        return new AlertRule(name, levels, Duration.ofMillis(resolveAfterMillis), explained);
    }

    /** The stored alert in the current row of {@code rs} (columns as {@link #COLUMNS}). */
    static StoredAlert stored(ResultSet rs) throws SQLException {
        Alert alert = alert(rs, "");
        Timestamp acknowledgedAt = rs.getTimestamp("acknowledged_at");
        Optional<Acknowledgement> acknowledgement = acknowledgedAt == null ? Optional.empty()
                : Optional.of(new Acknowledgement(rs.getString("acknowledged_by"), acknowledgedAt.toInstant(),
                        Optional.ofNullable(rs.getString("acknowledged_note"))));
        return new StoredAlert(alert, acknowledgement, rs.getInt("escalation_level"));
    }

    /**
     * An alert from the alert's own columns ({@link #COLUMNS}) and the state columns (severity, state, last and
     * peak readings, resolution) named with {@code statePrefix}: the alert's ({@code ""}), or an outbox
     * snapshot's selected under a prefix of its own.
     */
    static Alert alert(ResultSet rs, String statePrefix) throws SQLException {
        CustomerId customer = CustomerId.of(rs.getString("customer_id"));
        AlertRule rule = rule(rs.getString("rule"), rs.getString("rule_pending_ms"), rs.getLong("rule_resolve_after_ms"),
                rs.getString("rule_explained_by"));
        Reading first = reading(customer, rs.getTimestamp("first_at"), rs.getInt("first_heart_rate"), rs.getString("first_activity"));
        Reading last = reading(customer, rs.getTimestamp(statePrefix + "last_at"), rs.getInt(statePrefix + "last_heart_rate"),
                rs.getString(statePrefix + "last_activity"));
        Reading peak = reading(customer, rs.getTimestamp(statePrefix + "peak_at"), rs.getInt(statePrefix + "peak_heart_rate"),
                rs.getString(statePrefix + "peak_activity"));
        return new Alert(rs.getString("id"), customer, rule,
                AnomalyLevel.fromWireName(rs.getString(statePrefix + "severity")).orElseThrow(),
                "firing".equals(rs.getString(statePrefix + "state")) ? AlertState.FIRING : AlertState.RESOLVED, first, last, peak,
                rs.getTimestamp("fired_at").toInstant(),
                Optional.ofNullable(rs.getTimestamp(statePrefix + "resolved_at")).map(Timestamp::toInstant));
    }

    private static Reading reading(CustomerId customer, Timestamp at, int heartRate, String activity) {
        Instant instant = at.toInstant();
        return new Reading(customer, instant, heartRate, Activity.fromWireName(activity).orElseThrow());
    }
}
