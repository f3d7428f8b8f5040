package dev.heartbeat.app.options;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Account;
import dev.heartbeat.web.DashboardSettings;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the dashboard listens, its shared machine token, and its first admin. */
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
            description = "A shared token for machines (Prometheus): 'Authorization: Bearer <token>' reads the API and /metrics, "
                    + "never acts (env HEARTBEAT_WEB_TOKEN or _FILE). People sign in. Never printed.")
    String token;

    @Option(names = "--silence-longest", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long a silence made in the dashboard may last (default ${DEFAULT-VALUE}; "
                    + "env HEARTBEAT_SILENCE_LONGEST).")
    Duration longestSilence;

    @Option(names = "--bootstrap-admin", defaultValue = "admin", paramLabel = "NAME",
            description = "The first admin's name, made at start while there are no accounts (default ${DEFAULT-VALUE}; "
                    + "env HEARTBEAT_BOOTSTRAP_ADMIN).")
    String bootstrapAdmin;

    @Option(names = "--bootstrap-admin-password", paramLabel = "PASSWORD",
            description = "Make the first admin with this password while there are no accounts: give it as "
                    + "HEARTBEAT_BOOTSTRAP_ADMIN_PASSWORD_FILE (a secret file), never on the command line. Never printed.")
    String bootstrapAdminPassword;

    /** The first admin's name, checked. */
    public String firstAdminName() {
        try {
            return Account.checkedUsername(bootstrapAdmin);
        } catch (InvalidValueException e) {
            throw new ConfigurationException("--bootstrap-admin: " + e.getMessage(), e);
        }
    }

    /** The first admin's password, when one was given. */
    public Optional<String> firstAdminPassword() {
        return Optional.ofNullable(bootstrapAdminPassword).filter(p -> !p.isEmpty());
    }

    public DashboardSettings settings() {
        try {
            DashboardSettings settings = DashboardSettings.defaults().withPort(port).withBindAddress(bind)
                    .withAllowedHosts(allowedHosts.stream().filter(name -> !name.isBlank()).collect(Collectors.toSet()))
                    .withLongestSilence(longestSilence);
            return token == null || token.isEmpty() ? settings : settings.withBearerToken(token);
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }
}
