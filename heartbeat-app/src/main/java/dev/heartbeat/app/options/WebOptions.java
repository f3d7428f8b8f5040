package dev.heartbeat.app.options;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.web.DashboardSettings;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.stream.Collectors;

/** Where the dashboard listens and whether it asks for a token. */
public final class WebOptions {

    @Option(names = "--web-port", defaultValue = "8080",
            description = "Dashboard, API, /metrics and /health port (default ${DEFAULT-VALUE}; env HEARTBEAT_WEB_PORT).")
    int port;

    @Option(names = "--web-bind", defaultValue = "127.0.0.1",
            description = "Address the dashboard binds to; 0.0.0.0 for every interface (default ${DEFAULT-VALUE}; env HEARTBEAT_WEB_BIND).")
    String bind;

    @Option(names = "--web-allowed-hosts", split = ",", paramLabel = "NAME",
            description = "Host names the dashboard answers to besides localhost and IP addresses, comma-separated: "
                    + "the names people and Prometheus reach it by (env HEARTBEAT_WEB_ALLOWED_HOSTS). Any other Host is refused.")
    List<String> allowedHosts = List.of();

    @Option(names = "--web-token",
            description = "Require 'Authorization: Bearer <token>' on the API and /metrics (env HEARTBEAT_WEB_TOKEN or _FILE). Never printed.")
    String token;

    public DashboardSettings settings() {
        try {
            DashboardSettings settings = DashboardSettings.defaults().withPort(port).withBindAddress(bind)
                    .withAllowedHosts(allowedHosts.stream().filter(name -> !name.isBlank()).collect(Collectors.toSet()));
            return token == null || token.isEmpty() ? settings : settings.withBearerToken(token);
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }
}
