package dev.heartbeat.core;

/**
 * The store cannot be reached or failed mid-transaction. Nothing of the batch was made durable:
 * the caller keeps the batch and retries later.
 */
public final class StoreUnavailableException extends HeartbeatException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
