package dev.heartbeat.core.validation;

import java.util.Objects;

/** A message whose bytes could not be decoded into fields at all (not JSON, not UTF-8, too large, null). */
public record Undecodable(RejectReason reason, String detail) implements RawMessage {

    public Undecodable {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
