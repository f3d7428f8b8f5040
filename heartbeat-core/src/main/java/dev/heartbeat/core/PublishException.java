package dev.heartbeat.core;

/** A reading could not be published (the broker refused it or could not be reached in time). */
public final class PublishException extends HeartbeatException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
