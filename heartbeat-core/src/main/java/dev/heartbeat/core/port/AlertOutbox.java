package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.PendingDelivery;

import java.time.Instant;
import java.util.List;

/**
 * The alert transitions the store wrote with the readings that caused them, waiting to be delivered.
 * Because they are written in the ingest transaction, none is lost when delivery fails or the
 * process dies; the dispatcher retries from here after a restart.
 */
public interface AlertOutbox {

    /** Undelivered transitions whose next attempt is due at {@code now}, oldest first. */
    List<PendingDelivery> due(Instant now, int limit);

    /** The transition reached every sink. */
    void delivered(long id, Instant at);

    /** Delivery failed; try again at {@code nextAttemptAt}. */
    void failed(long id, int attempts, Instant nextAttemptAt, String error);
}
