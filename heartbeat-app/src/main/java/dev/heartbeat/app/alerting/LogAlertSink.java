package dev.heartbeat.app.alerting;

import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.port.AlertSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each alert transition to the log (logger {@code dev.heartbeat.alerts}), one line each. */
public final class LogAlertSink implements AlertSink {

    private static final Logger log = LoggerFactory.getLogger("dev.heartbeat.alerts");

    @Override
    public void deliver(AlertTransition transition) {
        Alert alert = transition.alert();
        log.warn("ALERT {} {} {} customer={} severity={} escalation={} first={} bpm at {} {}={} bpm at {} id={}",
                transition.kind(), alert.rule().name(), alert.state(), alert.customer(), alert.severity().wireName(),
                transition.escalationLevel(),
                alert.firstTriggering().heartRate(), alert.firstTriggering().recordedAt(),
                alert.rule().above() ? "peak" : "trough", alert.peak().heartRate(), alert.peak().recordedAt(), alert.id());
    }

    @Override
    public String name() {
        return "log";
    }
}
