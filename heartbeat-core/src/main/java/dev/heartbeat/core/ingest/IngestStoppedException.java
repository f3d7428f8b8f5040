package dev.heartbeat.core.ingest;

import dev.heartbeat.core.HeartbeatException;

/**
 * The ingest loop ended because the store kept refusing a batch for a reason waiting cannot fix; the
 * message says what and what to do. The batch was not committed: a restart reads it again.
 */
public final class IngestStoppedException extends HeartbeatException {

    public IngestStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
