package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.PendingDelivery;

import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The alert transitions the store wrote with the readings that caused them, waiting to be delivered.
 * Because they are written in the ingest transaction, none is lost when delivery fails or the
 * process dies; the dispatcher retries from here after a restart.
 */
public interface AlertOutbox {

    /**
     * How long a claimed transition stays with the dispatcher that claimed it: when that process dies
     * before reporting {@link #delivered} or {@link #failed}, another one delivers it after this.
     */
    Duration CLAIM_LEASE = Duration.ofMinutes(2);

    /**
     * Claims the undelivered transitions whose next attempt is due at {@code now} (at most the oldest
     * {@code limit}, one per alert so that an alert's transitions go out in order): none of them is
     * handed out again, to this or to any other process sharing the outbox, until it is reported
     * {@link #delivered} or {@link #failed} or {@link #CLAIM_LEASE} has passed.
     */
    List<PendingDelivery> due(Instant now, int limit);

    /** The transition reached every sink. */
    void delivered(long id, Instant at);

    /** Delivery failed; try again at {@code nextAttemptAt}. */
    void failed(long id, int attempts, Instant nextAttemptAt, String error);

    /**
     * Queues the reminders due at {@code now} for the firing alerts nobody has acknowledged, as
     * {@code reminders} says, and returns them: each is queued once, whoever else asks at the same
     * moment, and none is lost if the process dies (the alert's level and last sending are stored with
     * the queued reminder, in one transaction).
     */
    List<AlertTransition> remind(Instant now, Reminders reminders);

    /**
     * Holds a claimed transition back because silence {@code silenceId} mutes its alert: it is marked with
     * the silence, not delivered, and not handed out again until {@link #release}d. One delivered meanwhile
     * (another dispatcher took it over when the claim's lease ran out) stays delivered.
     */
    void hold(long id, long silenceId);

    /**
     * Drops a claimed transition without delivering it, and the held ones of its alert: a resolution of
     * an alert the sinks never heard of (every transition before it was held by a silence).
     */
    void skip(long id, Instant at);

    /**
     * Releases what silences no longer in effect held ({@code inEffect} lists those that are): of each
     * alert still firing, its newest held transition is handed out again (and checked against the
     * silences again) unless a later transition of it exists that was not dropped (delivered, waiting, or
     * held by another silence); every other one they held is dropped. Each alert is released by one
     * dispatcher at a time, whoever else releases at the same moment. Returns how many were handed out
     * again.
     */
    int release(Collection<Long> inEffect, Instant at);
}
