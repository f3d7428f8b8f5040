package dev.heartbeat.core.alert;

/** Where an alert is in its life: pending (not yet an alert anyone sees), firing, resolved. */
public enum AlertState {
    PENDING,
    FIRING,
    RESOLVED
}
