package dev.heartbeat.core.simulation;

import dev.heartbeat.core.reading.CustomerId;

import java.time.Instant;
import java.util.Objects;

/** Ground truth: one anomaly episode the simulator injected, from its first reading on. */
public record Episode(long id, CustomerId customer, AnomalyKind kind, Instant start) {

    public Episode {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
    }
}
