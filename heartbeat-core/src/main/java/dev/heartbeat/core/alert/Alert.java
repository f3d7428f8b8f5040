package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert with its provenance: the rule (and its settings) that raised it, the first and the last
 * reading that met the condition, the peak (or trough, below the normal band), its severity (the
 * level it fired or escalated at), when it fired and, once resolved, when.
 *
 * <p>Its id is derived from customer, rule and first triggering reading, so the same episode seen
 * twice (a replay, a restart) is the same alert, never a second one.
 */
public record Alert(String id, CustomerId customer, AlertRule rule, AnomalyLevel severity, AlertState state,
                    Reading firstTriggering, Reading lastTriggering, Reading peak, Instant firedAt,
                    Optional<Instant> resolvedAt) {

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(firstTriggering, "firstTriggering");
        Objects.requireNonNull(lastTriggering, "lastTriggering");
        Objects.requireNonNull(peak, "peak");
        Objects.requireNonNull(firedAt, "firedAt");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }

    /** The id of the alert that {@code rule} raises for the episode starting with {@code first}. */
    public static String idOf(AlertRule rule, Reading first) {
        Instant at = first.recordedAt();
        return first.customerId().value() + "/" + rule.name() + "/" + at.getEpochSecond() + "."
                + String.format("%06d", at.getNano() / 1000);
    }

    public boolean isOpen() {
        return state == AlertState.FIRING;
    }
}
