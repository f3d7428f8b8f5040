package dev.heartbeat.core.simulation;

import dev.heartbeat.core.reading.Reading;

import java.util.Objects;
import java.util.Optional;

/** A generated reading with its ground-truth label: the anomaly episode it belongs to, if any. */
public record SimulatedReading(Reading reading, Optional<Episode> episode) {

    public SimulatedReading {
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(episode, "episode");
    }
}
