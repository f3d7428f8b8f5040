package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.AlertTransition;

/**
 * Where alert transitions go to reach people (a log, a webhook, a pager). Called by the
 * {@link dev.heartbeat.core.delivery.AlertDispatcher} from the outbox, never from the ingest path.
 */
public interface AlertSink {

    /**
     * Delivers one transition, or throws {@link dev.heartbeat.core.HeartbeatException} (or a subclass)
     * when it could not; the dispatcher then retries it later.
     */
    void deliver(AlertTransition transition);

    /** A short name for logs and metrics, e.g. {@code webhook}. */
    String name();
}
