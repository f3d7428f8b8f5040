package dev.heartbeat.app;

import dev.heartbeat.core.HeartbeatException;

/**
 * The configuration cannot work (a bad value, a server that cannot be reached, a port in use). Its
 * message is one actionable line; the process exits with code 2.
 */
final class ConfigurationException extends HeartbeatException {

    ConfigurationException(String message) {
        super(message);
    }

    ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
