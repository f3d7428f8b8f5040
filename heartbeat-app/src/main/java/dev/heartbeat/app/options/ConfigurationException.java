package dev.heartbeat.app.options;

import dev.heartbeat.core.HeartbeatException;

/**
 * The configuration cannot work (a bad value, a server that cannot be reached, a port in use). Its
 * message is one actionable line; the process exits with code 2.
 */
public final class ConfigurationException extends HeartbeatException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
