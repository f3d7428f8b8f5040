package dev.heartbeat.core.query;

import dev.heartbeat.core.validation.RejectReason;

import java.util.Objects;
import java.util.Optional;

/** Which rejects a feed shows: of one reason or all, received inside a time range. */
public record RejectFilter(Optional<RejectReason> reason, TimeRange range) {

    public RejectFilter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(range, "range");
    }
}
