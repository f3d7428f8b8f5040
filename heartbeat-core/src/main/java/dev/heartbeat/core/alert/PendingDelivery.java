package dev.heartbeat.core.alert;

import java.util.Objects;

/**
 * An alert transition waiting in the outbox to be delivered, with how often delivery failed so far and
 * whether an earlier transition of its alert reached the sinks ({@code announced}: when every earlier
 * one was held back by a silence, the sinks have never heard of the alert).
 */
public record PendingDelivery(long id, AlertTransition transition, int attempts, boolean announced) {

    public PendingDelivery {
        Objects.requireNonNull(transition, "transition");
    }
}
