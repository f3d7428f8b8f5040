package dev.heartbeat.core;

/**
 * The one unchecked base type of every exception Heartbeat throws on purpose: a broken invariant
 * (a value that cannot exist) or a failing piece of infrastructure. Expected outcomes, such as a
 * rejected reading or a stale batch, are values, never exceptions.
 */
public class HeartbeatException extends RuntimeException {

    public HeartbeatException(String message) {
        super(message);
    }

    public HeartbeatException(String message, Throwable cause) {
        super(message, cause);
    }
}
