package dev.heartbeat.core.alert;

import java.util.Objects;
import java.util.Optional;

/** An alert as the store keeps it: its latest state and, once someone took it on, the acknowledgement. */
public record StoredAlert(Alert alert, Optional<Acknowledgement> acknowledgement) {

    public StoredAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(acknowledgement, "acknowledgement");
    }
}
