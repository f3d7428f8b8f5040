package dev.heartbeat.app.options;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.postgres.PostgresSettings;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/** How to reach PostgreSQL, and how long to keep readings. */
public final class DatabaseOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/heartbeat?sslmode=verify-full (env HEARTBEAT_JDBC_URL). "
                    + "The demo starts an embedded PostgreSQL when unset.")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "postgres",
            description = "Database user (default ${DEFAULT-VALUE}; env HEARTBEAT_DB_USER).")
    String user;

    @Option(names = "--db-password",
            description = "Database password (env HEARTBEAT_DB_PASSWORD or HEARTBEAT_DB_PASSWORD_FILE). Never printed.")
    String password;

    @Option(names = "--db-pool-size", defaultValue = "10",
            description = "Connections in the pool (default ${DEFAULT-VALUE}; env HEARTBEAT_DB_POOL_SIZE).")
    int poolSize;

    @Option(names = "--db-wait", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the database at start before giving up (default ${DEFAULT-VALUE}; env HEARTBEAT_DB_WAIT).")
    Duration wait;

    @Option(names = "--retention", defaultValue = "30d", converter = DurationConverter.class,
            description = "How long readings are kept; older daily partitions are dropped, older readings rejected as too_old "
                    + "(default ${DEFAULT-VALUE}; env HEARTBEAT_RETENTION).")
    Duration retention;

    @Option(names = "--audit-retention", defaultValue = "2192d", converter = DurationConverter.class,
            description = "How long audit records are kept, at least 365d; the dashboard removes older ones daily "
                    + "(default ${DEFAULT-VALUE}, six years; env HEARTBEAT_AUDIT_RETENTION).")
    Duration auditRetention;

    @Option(names = "--max-clock-skew", defaultValue = "30s", converter = DurationConverter.class,
            description = "How far this process's clock may be from PostgreSQL's: beyond it retention does not run and the "
                    + "process reports not ready (default ${DEFAULT-VALUE}; env HEARTBEAT_MAX_CLOCK_SKEW).")
    Duration maxClockSkew;

    public Optional<String> jdbcUrl() {
        return Optional.ofNullable(jdbcUrl).filter(u -> !u.isBlank());
    }

    public Duration retention() {
        return retention;
    }

    /** The settings for the embedded server at {@code url}: its own user, no password, whatever else was configured. */
    public PostgresSettings embeddedSettings(String url, String embeddedUser) {
        return settings(url, embeddedUser, "");
    }

    /** The settings for {@code url} (the given one, or the embedded server's), as {@code user} unless one was given. */
    public PostgresSettings settings(String url, String defaultUser) {
        return settings(url, user == null ? defaultUser : user, password == null ? "" : password);
    }

    private PostgresSettings settings(String url, String user, String password) {
        try {
            return PostgresSettings.of(url, user, password)
                    .withPoolSize(poolSize)
                    .withServerWait(wait)
                    .withRetention(retention)
                    .withAuditRetention(auditRetention)
                    .withMaxClockSkew(maxClockSkew);
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }
}
