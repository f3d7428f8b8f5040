package dev.heartbeat.core;

/** A value was constructed that breaks its own invariant (a programming error, never a bad message). */
public final class InvalidValueException extends HeartbeatException {

    public InvalidValueException(String message) {
        super(message);
    }
}
