package dev.heartbeat.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The one place that chooses the PostgreSQL the tests run against: a Testcontainers {@code postgres:17}
 * when a Docker engine answers, else zonky's embedded server (real binaries from Maven Central, run by this
 * JVM), both with fsync and synchronous_commit on and the C.UTF-8 locale. One server per JVM; each test
 * class gets its own database, copied from a migrated template, and empties it between tests.
 */
final class TestDatabases {

    private static final String TEMPLATE = "heartbeat_template";
    private static TestServer shared;
    private static boolean templateReady;

    private TestDatabases() {
    }

    /** The server shared by this JVM, started on first use. */
    static synchronized TestServer server() {
        if (shared == null) {
            shared = dockerAnswers() ? startContainer() : startEmbedded();
        }
        return shared;
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static TestServer startEmbedded() {
        return startEmbedded(null, 0);
    }

    /** An embedded server keeping its data in {@code directory} (a temporary one if null), on {@code port} (any if 0). */
    static TestServer startEmbedded(Path directory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (directory != null) {
                builder.setDataDirectory(directory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder
                    .setLocaleConfig("locale", "C.UTF-8")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            return TestServer.of(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    @SuppressWarnings("resource")
    static TestServer startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17")
                .withEnv("POSTGRES_INITDB_ARGS", "--locale=C.UTF-8")
                .withCommand("postgres", "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "max_connections=100");
        container.start();
        return new TestServer() {
            @Override
            public String host() {
                return container.getHost();
            }

            @Override
            public int port() {
                return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            }

            @Override
            public String user() {
                return container.getUsername();
            }

            @Override
            public String password() {
                return container.getPassword();
            }

            @Override
            public String describe() {
                return "Testcontainers postgres:17 at " + host() + ":" + port();
            }

            @Override
            public void stop() {
                container.stop();
            }
        };
    }

    /** Settings for {@code database} on {@code server}, with the summaries left to the test. */
    static PostgresSettings settings(TestServer server, String database) {
        return PostgresSettings.of(server.jdbcUrl(database), server.user(), server.password())
                .withPoolSize(4)
                .withServerWait(Duration.ofSeconds(10))
                .withSummaries(Duration.ofDays(1), Integer.MAX_VALUE);
    }

    /** A fresh database named {@code name} with the schema in place, connected with tweaked settings. */
    static PostgresDatabase open(String name, UnaryOperator<PostgresSettings> tweak) {
        TestServer server = server();
        createFromTemplate(server, name);
        PostgresDatabase database = PostgresDatabase.connect(tweak.apply(settings(server, name)));
        database.migrate();
        return database;
    }

    static PostgresDatabase open(String name) {
        return open(name, UnaryOperator.identity());
    }

    private static synchronized void createFromTemplate(TestServer server, String name) {
        if (!templateReady) {
            admin(server, "DROP DATABASE IF EXISTS " + TEMPLATE + " WITH (FORCE)");
            admin(server, "CREATE DATABASE " + TEMPLATE);
            try (PostgresDatabase template = PostgresDatabase.connect(settings(server, TEMPLATE))) {
                template.migrate();
            }
            templateReady = true;
        }
        admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin(server, "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    }

    /** Runs {@code sql} in the server's postgres database (test names only, never outside input). */
    static void admin(TestServer server, String sql) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Empties every table (partitions stay) and forgets what was summarized. */
    static void truncate(PostgresDatabase database) {
        database.jdbi().useHandle(handle -> {
            handle.execute("""
                    TRUNCATE heartbeat_records, rejected_readings, stream_positions, stream_reject_counts, stream_topics, stream_gaps,
                             ingest_batches,
                             customers, heartbeat_minutes, heartbeat_days, heartbeat_minute_totals, alerts, alert_outbox, silences,
                             api_tokens, accounts, audit_log
                             RESTART IDENTITY""");
            handle.execute("UPDATE summary_state SET snapshot = '1:1:', summarized_rows = 0");
            handle.execute("UPDATE audit_head SET seq = 0, hash = repeat('0', 64)");
        });
    }
}
