package dev.heartbeat.core.query;

import dev.heartbeat.core.stream.RejectedMessage;

import java.util.Objects;

/** A reject as the store keeps it, with the store's id (its order of arrival). */
public record StoredReject(long id, RejectedMessage message) {

    public StoredReject {
        Objects.requireNonNull(message, "message");
    }
}
