package dev.heartbeat.core.alert;

import java.util.Objects;

/** An alert transition waiting in the outbox to be delivered, with how often delivery failed so far. */
public record PendingDelivery(long id, AlertTransition transition, int attempts) {

    public PendingDelivery {
        Objects.requireNonNull(transition, "transition");
    }
}
