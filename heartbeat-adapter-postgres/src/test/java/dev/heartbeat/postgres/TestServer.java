package dev.heartbeat.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A PostgreSQL server the tests (and the benchmark) can reach over TCP as a superuser. */
interface TestServer {

    String host();

    int port();

    String user();

    String password();

    /** What kind of server this is, for logs. */
    String describe();

    /** Stops it (only for servers a test started for itself). */
    void stop();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A started zonky server, reached as its {@code postgres} superuser without a password. */
    static TestServer of(EmbeddedPostgres postgres) {
        return new TestServer() {
            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return postgres.getPort();
            }

            @Override
            public String user() {
                return "postgres";
            }

            @Override
            public String password() {
                return "";
            }

            @Override
            public String describe() {
                return "zonky embedded PostgreSQL on port " + port();
            }

            @Override
            public void stop() {
                try {
                    postgres.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
