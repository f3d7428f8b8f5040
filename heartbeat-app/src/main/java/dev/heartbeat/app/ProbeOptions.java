package dev.heartbeat.app;

import picocli.CommandLine.Option;

/** Where a process without a dashboard serves /health and /metrics. */
final class ProbeOptions {

    @Option(names = "--probe-port", defaultValue = "0",
            description = "Serve /health/live, /health/ready and /metrics on this port; 0 = not at all (default ${DEFAULT-VALUE}; env HEARTBEAT_PROBE_PORT).")
    int port;

    @Option(names = "--probe-bind", defaultValue = "127.0.0.1",
            description = "Address of the probe server (default ${DEFAULT-VALUE}; env HEARTBEAT_PROBE_BIND).")
    String bind;
}
