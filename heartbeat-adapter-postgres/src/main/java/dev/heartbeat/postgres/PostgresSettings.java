package dev.heartbeat.postgres;

import dev.heartbeat.core.InvalidValueException;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and run the PostgreSQL store: where it is and who to be (the password is never printed),
 * how many connections, how long a statement may run, how long to wait for the server at start, how long
 * readings are kept (whole days are dropped once older), how many daily partitions to create ahead, and
 * how often the writer brings the dashboard's summaries up to date (after {@code summaryInterval} or
 * {@code summaryRows} readings, whichever comes first), how long audit records are kept, and how far a
 * process's clock may be from the server's before retention refuses to run.
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int poolSize,
                               Duration statementTimeout, Duration serverWait, Duration retention,
                               int partitionsAhead, Duration summaryInterval, int summaryRows, Duration auditRetention,
                               Duration maxClockSkew) {

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SERVER_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_PARTITIONS_AHEAD = 3;
    public static final Duration DEFAULT_SUMMARY_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_SUMMARY_ROWS = 200_000;
    /** Six years, leap days included: the longest common rule for keeping records of access to health data. */
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(2192);
    /** Audit records are kept at least a year, whatever is configured (the database refuses less too). */
    public static final Duration MIN_AUDIT_RETENTION = Duration.ofDays(365);
    /** How far a process's clock may be from the server's before retention refuses to run. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(30);

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(serverWait, "serverWait");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(summaryInterval, "summaryInterval");
        Objects.requireNonNull(auditRetention, "auditRetention");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxClockSkew.compareTo(Duration.ofSeconds(1)) < 0 || maxClockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidValueException("max clock skew must be 1s-1h, got " + maxClockSkew);
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new InvalidValueException("the JDBC URL must start with jdbc:postgresql://, got " + withoutQuery(jdbcUrl));
        }
        if (user.isBlank()) {
            throw new InvalidValueException("a database user is required");
        }
        if (poolSize < 2 || poolSize > 100) {
            throw new InvalidValueException("pool size must be 2-100 (the writer and the queries each need one), got " + poolSize);
        }
        if (statementTimeout.toMillis() < 100) {
            throw new InvalidValueException("statement timeout must be at least 100 ms, got " + statementTimeout);
        }
        if (serverWait.isNegative()) {
            throw new InvalidValueException("server wait must be >= 0, got " + serverWait);
        }
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new InvalidValueException("retention must be at least one day (partitions are daily), got " + retention);
        }
        if (partitionsAhead < 1 || partitionsAhead > 60) {
            throw new InvalidValueException("partitions ahead must be 1-60 days, got " + partitionsAhead);
        }
        if (auditRetention.compareTo(MIN_AUDIT_RETENTION) < 0) {
            throw new InvalidValueException("audit retention must be at least 365d (a year), got " + auditRetention);
        }
        if (summaryInterval.isNegative() || summaryRows < 1) {
            throw new InvalidValueException("summary interval must be >= 0 and summary rows >= 1, got "
                    + summaryInterval + " and " + summaryRows);
        }
    }

    /** Settings with every default but the connection. */
    public static PostgresSettings of(String jdbcUrl, String user, String password) {
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_STATEMENT_TIMEOUT,
                DEFAULT_SERVER_WAIT, DEFAULT_RETENTION, DEFAULT_PARTITIONS_AHEAD, DEFAULT_SUMMARY_INTERVAL,
                DEFAULT_SUMMARY_ROWS, DEFAULT_AUDIT_RETENTION, DEFAULT_MAX_CLOCK_SKEW);
    }

    public PostgresSettings withPoolSize(int size) {
        return new PostgresSettings(jdbcUrl, user, password, size, statementTimeout, serverWait, retention,
                partitionsAhead, summaryInterval, summaryRows, auditRetention, maxClockSkew);
    }

    public PostgresSettings withStatementTimeout(Duration timeout) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, timeout, serverWait, retention,
                partitionsAhead, summaryInterval, summaryRows, auditRetention, maxClockSkew);
    }

    public PostgresSettings withServerWait(Duration wait) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, wait, retention,
                partitionsAhead, summaryInterval, summaryRows, auditRetention, maxClockSkew);
    }

    public PostgresSettings withRetention(Duration keep) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, serverWait, keep,
                partitionsAhead, summaryInterval, summaryRows, auditRetention, maxClockSkew);
    }

    public PostgresSettings withPartitionsAhead(int days) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, serverWait, retention,
                days, summaryInterval, summaryRows, auditRetention, maxClockSkew);
    }

    /** Summaries brought up to date after {@code interval} or {@code rows} written readings. */
    public PostgresSettings withSummaries(Duration interval, int rows) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, serverWait, retention,
                partitionsAhead, interval, rows, auditRetention, maxClockSkew);
    }

    /** Audit records older than {@code keep} are removed (at least a year). */
    public PostgresSettings withAuditRetention(Duration keep) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, serverWait, retention,
                partitionsAhead, summaryInterval, summaryRows, keep, maxClockSkew);
    }

    /** Retention refuses to run while this process's clock is further than {@code skew} from the server's. */
    public PostgresSettings withMaxClockSkew(Duration skew) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, statementTimeout, serverWait, retention,
                partitionsAhead, summaryInterval, summaryRows, auditRetention, skew);
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + withoutQuery(jdbcUrl) + ", user=" + user + ", password="
                + (password.isEmpty() ? "(none)" : "(hidden)") + ", poolSize=" + poolSize + ", statementTimeout="
                + statementTimeout + ", serverWait=" + serverWait + ", retention=" + retention + ", partitionsAhead="
                + partitionsAhead + ", summaryInterval=" + summaryInterval + ", summaryRows=" + summaryRows
                + ", auditRetention=" + auditRetention + ", maxClockSkew=" + maxClockSkew + "]";
    }

    /** The URL without its parameters, which may carry a password. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }
}
