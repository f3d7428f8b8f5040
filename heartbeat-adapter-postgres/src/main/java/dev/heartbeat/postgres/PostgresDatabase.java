package dev.heartbeat.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.StoreUnavailableException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The connection to the Heartbeat database: a HikariCP pool and a Jdbi over it, the schema migrations
 * (Flyway, from {@code sql/}), and nothing else. {@link #connect} waits a bounded time for the server;
 * {@link #migrate} brings the schema up to this build's version and refuses a schema from a newer one; {@link #ensureSchema}
 * is what a service runs at start (it may connect as a role that only checks).
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    private final PostgresSettings settings;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private PostgresDatabase(PostgresSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.jdbi.registerArgument(new InstantArgumentFactory());
    }

    /**
     * Opens the pool and waits until the server answers, at most {@code settings.serverWait()}.
     *
     * @throws StoreUnavailableException when it does not answer in time, with the last reason
     */
    public static PostgresDatabase connect(PostgresSettings settings) {
        Objects.requireNonNull(settings, "settings");
        HikariDataSource dataSource = new HikariDataSource(poolConfig(settings));
        try {
            awaitServer(settings, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        log.info("Connected to PostgreSQL at {} as {} (pool of {})", PostgresSettings.withoutQuery(settings.jdbcUrl()),
                settings.user(), settings.poolSize());
        return new PostgresDatabase(settings, dataSource);
    }

    private static HikariConfig poolConfig(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("heartbeat-postgres");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        // Do not fail while building the pool: connect() waits for the server itself, with a clear error.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, Math.min(settings.statementTimeout().toMillis(), 5_000)));
        config.setAutoCommit(true);
        config.addDataSourceProperty("ApplicationName", "heartbeat");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // A dead server or network must not hang a statement forever: the socket gives up a while after
        // the server-side statement timeout would have.
        config.addDataSourceProperty("socketTimeout", Long.toString(settings.statementTimeout().toSeconds() * 2 + 10));
        config.addDataSourceProperty("connectTimeout", "10");
        // Dashboard queries are short; on a small machine parallel workers cost more to start than they save.
        // JIT compilation (on wherever PostgreSQL has LLVM, as in its Docker image) costs them far more than
        // it saves: customer_stats at 5.7 M readings took 820 ms with it, 51 ms without (PostgreSQL 15).
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis()
                + "; SET max_parallel_workers_per_gather = 0; SET jit = off");
        return config;
    }

    private static void awaitServer(PostgresSettings settings, HikariDataSource dataSource) {
        long deadline = System.nanoTime() + settings.serverWait().toNanos();
        SQLException last;
        do {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid(5)) {
                    return;
                }
                last = new SQLException("the connection did not validate");
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(RETRY_PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for PostgreSQL", e);
            }
        } while (System.nanoTime() - deadline < 0);
        throw new StoreUnavailableException("PostgreSQL at " + PostgresSettings.withoutQuery(settings.jdbcUrl())
                + " did not answer within " + settings.serverWait() + ": " + last.getMessage(), last);
    }

    /**
     * Applies the migrations this build has and the database lacks, then the grants of the service roles
     * (Flyway's afterMigrate callback). Refuses to run against a schema a newer build has migrated (Flyway
     * would ignore such "future" migrations): this build would misread it.
     *
     * @return the schema version now in place
     * @throws HeartbeatException when the schema is newer than this build, or a migration fails
     */
    public String migrate() {
        return migrate(flyway(null));
    }

    /**
     * {@link #migrate()} as {@code role} (SET ROLE on Flyway's connections): the objects it creates belong
     * to that role. For a superuser setting up the roles, who may become any of them.
     */
    public String migrateAs(String role) {
        return migrate(flyway(Objects.requireNonNull(role, "role")));
    }

    /**
     * What a service does at start: migrates when this build has migrations the database lacks, else only
     * checks that the schema is this build's. A service role, which may not migrate, can start on a schema
     * the owner brought up to date; on an older one it gets one line naming the step to run.
     *
     * @return the schema version in place
     * @throws HeartbeatException when the schema is newer than this build, or older and this user may not migrate it
     */
    public String ensureSchema() {
        Flyway flyway = flyway(null);
        try {
            refuseFuture(flyway);
            if (flyway.info().pending().length > 0) {
                return migrate(flyway);
            }
            String version = currentVersion(flyway);
            log.info("The Heartbeat schema is at version {}", version);
            checkTransactionIds();
            return version;
        } catch (HeartbeatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.translate("checking the schema", e);
        }
    }

    private Flyway flyway(String role) {
        var configuration = Flyway.configure()
                .locations("classpath:db/migration")
                .cleanDisabled(true);
        if (role == null) {
            configuration.dataSource(dataSource);
        } else {
            // connections of its own: a pooled connection would keep the role after Flyway hands it back
            configuration.dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                    .initSql("SET ROLE " + quoteIdentifier(role));
        }
        return configuration.load();
    }

    private String migrate(Flyway flyway) {
        try {
            refuseFuture(flyway);
            String before = currentVersion(flyway);
            MigrateResult result;
            try {
                result = flyway.migrate();
            } catch (RuntimeException e) {
                if (messages(e).contains("permission denied") || messages(e).contains("must be owner")) {
                    throw new HeartbeatException("the database schema is at version " + before + " and this build needs "
                            + latestKnown(flyway) + ", which " + settings.user() + " may not migrate: run heartbeat "
                            + "setup-database as a superuser, or heartbeat migrate as the schema's owner", e);
                }
                throw e;
            }
            String version = currentVersion(flyway);
            if (result.migrationsExecuted > 0) {
                log.info("Migrated the Heartbeat schema to version {} ({} migrations)", version, result.migrationsExecuted);
            } else {
                log.info("The Heartbeat schema is at version {}", version);
            }
            checkTransactionIds();
            return version;
        } catch (HeartbeatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.translate("migrating the schema", e);
        }
    }

    private static void refuseFuture(Flyway flyway) {
        Optional<MigrationInfo> future = Arrays.stream(flyway.info().applied())
                .filter(info -> info.getState() == MigrationState.FUTURE_SUCCESS
                        || info.getState() == MigrationState.FUTURE_FAILED)
                .reduce((first, second) -> second);
        if (future.isPresent()) {
            throw new HeartbeatException("the database schema is at version " + future.get().getVersion()
                    + ", newer than this build knows (" + latestKnown(flyway)
                    + "); refusing to run against it: use the build that migrated it, or a newer one");
        }
    }

    private static String currentVersion(Flyway flyway) {
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    /** The messages of {@code e} and its causes, for recognizing a refusal. */
    private static String messages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** {@code name} as a double-quoted SQL identifier. */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String latestKnown(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(info -> info.getState().isResolved() && info.getVersion() != null)
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo)
                .map(v -> "version " + v)
                .orElse("no version");
    }

    /**
     * Readings carry the id of the transaction that wrote them; after a logical restore into another
     * cluster those ids can lie in this cluster's future, and the summaries would never see the readings.
     */
    private void checkTransactionIds() {
        boolean future = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT EXISTS (SELECT 1 FROM heartbeat_records WHERE ingest_txid > pg_current_xact_id()::text::bigint)")
                .mapTo(Boolean.class).one());
        if (future) {
            throw new HeartbeatException("heartbeat_records holds readings written by transactions this server has "
                    + "not reached (a restore from another cluster?); run SELECT heartbeat_rebuild_summaries() once");
        }
    }

    /**
     * How far {@code local} is ahead of the server's clock (negative: behind), measured over one round trip
     * and taken at its middle, so that the network's delay does not count as skew.
     *
     * @throws StoreUnavailableException when the server cannot be asked
     */
    public Duration clockSkew(Clock local) {
        try {
            return jdbi.withHandle(handle -> {
                Instant sent = local.instant();
                Instant server = handle.createQuery("SELECT clock_timestamp()").mapTo(Instant.class).one();
                Instant received = local.instant();
                Instant middle = sent.plus(Duration.between(sent, received).dividedBy(2));
                return Duration.between(server, middle);
            });
        } catch (RuntimeException e) {
            throw SqlFailures.translate("reading the server's clock", e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public PostgresSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
