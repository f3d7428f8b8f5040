package dev.heartbeat.web;

import dev.heartbeat.core.HeartbeatException;

import java.util.Objects;

/**
 * A request parameter the API refuses: answered with HTTP 400 and a message naming the parameter.
 * Thrown only while reading a request, before any port is called.
 */
final class BadParameterException extends HeartbeatException {

    private final String parameter;

    BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    /** The parameter's name as the client sent it ({@code limit}, {@code from}, the path's {@code id}). */
    String parameter() {
        return parameter;
    }
}
