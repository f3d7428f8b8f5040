package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertHistory;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.CustomerId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The alerts the store keeps (written by {@link ReadingStore#write} with the readings that caused
 * them): the open ones to restore the engine after a restart or rebalance, and what the dashboard
 * shows and acknowledges.
 */
public interface AlertStore {

    /** The open (firing) alerts of these customers. */
    List<Alert> openAlerts(Collection<CustomerId> customers);

    /**
     * What an alert engine rebuilds these customers' state from: their open alerts, their alerts resolved
     * at or after {@code since}, and their stored readings recorded at or after {@code since} (or, for a
     * customer with an open alert, at or after that alert's last transition when that is earlier: what
     * has met its condition since then is its peak and last reading, which the store learns of only with
     * its next transition), oldest first.
     */
    AlertHistory recent(Collection<CustomerId> customers, Instant since);

    /** Every open alert, most severe first, then newest first, at most {@code limit}. */
    List<StoredAlert> active(int limit);

    /** Alerts (any state) that fired in {@code range}, of one customer or all, newest first (cursor key: alert id). */
    Page<StoredAlert> history(Optional<CustomerId> customer, TimeRange range, PageRequest page);

    /** One alert by id. */
    Optional<StoredAlert> alert(String id);

    /**
     * Records that someone took the alert on. The first acknowledgement is kept; acknowledging again
     * changes nothing. Empty when there is no such alert.
     */
    Optional<StoredAlert> acknowledge(String id, Acknowledgement acknowledgement);
}
