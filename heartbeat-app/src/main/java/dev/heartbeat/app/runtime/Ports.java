package dev.heartbeat.app.runtime;

import dev.heartbeat.app.options.ConfigurationException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks, before starting a server, that its port is free, to fail with a clear message. */
public final class Ports {

    private Ports() {
    }

    /** Throws a configuration error naming {@code option} when {@code port} on {@code host} is taken. */
    public static void requireFree(String host, int port, String option) {
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(option + " must be 1-65535, got " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigurationException("port " + port + " is in use: stop what uses it or choose another with " + option);
        }
    }
}
