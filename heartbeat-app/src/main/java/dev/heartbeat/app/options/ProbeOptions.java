package dev.heartbeat.app.options;

import picocli.CommandLine.Option;

import java.util.OptionalInt;

/** Where a process without a dashboard serves /health and /metrics. */
public final class ProbeOptions {

    @Option(names = "--probe-port", defaultValue = "0",
            description = "Serve /health/live, /health/ready and /metrics on this port; 0 = not at all (default ${DEFAULT-VALUE}; env HEARTBEAT_PROBE_PORT).")
    private int port;

    @Option(names = "--probe-bind", defaultValue = "127.0.0.1",
            description = "Address of the probe server (default ${DEFAULT-VALUE}; env HEARTBEAT_PROBE_BIND).")
    private String bind;

    /** The port to serve the probes on, if any. */
    public OptionalInt port() {
        return port > 0 ? OptionalInt.of(port) : OptionalInt.empty();
    }

    public String bind() {
        return bind;
    }
}
