package dev.heartbeat.postgres;

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
}
