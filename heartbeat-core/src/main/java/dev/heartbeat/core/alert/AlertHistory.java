package dev.heartbeat.core.alert;

import dev.heartbeat.core.reading.Reading;

import java.util.List;

/**
 * What the store holds of some customers' recent past, for an {@link AlertEngine} to rebuild their state
 * from after a restart or rebalance: their open alerts, their alerts resolved since a moment, and their
 * stored readings since that moment, oldest first.
 */
public record AlertHistory(List<Alert> open, List<Alert> resolved, List<Reading> readings) {

    public static final AlertHistory NONE = new AlertHistory(List.of(), List.of(), List.of());

    public AlertHistory {
        open = List.copyOf(open);
        resolved = List.copyOf(resolved);
        readings = List.copyOf(readings);
    }
}
