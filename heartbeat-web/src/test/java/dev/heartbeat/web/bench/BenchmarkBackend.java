package dev.heartbeat.web.bench;

import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;

import java.time.Clock;
import java.util.Optional;

/**
 * The store a benchmark runs the dashboard against. {@link DashboardApiBenchmark} builds the
 * in-memory one itself; another module (the app, with PostgreSQL) implements this with a public
 * no-argument constructor that reads its own settings (system properties or environment), puts the
 * class on the test classpath and names it with {@code --backend=<class>}.
 */
public interface BenchmarkBackend extends AutoCloseable {

    /** The queries the dashboard answers from, already filled. */
    ReadingQueries queries();

    /** The alerts the dashboard shows, if the backend keeps them (then the alert calls are measured too). */
    default Optional<AlertStore> alerts() {
        return Optional.empty();
    }

    /**
     * Where the live stream's readings are written before they are streamed, if the backend stores them (the
     * consumer's order: store, commit, then the live feed); without one they go straight to the feed.
     */
    default Optional<ReadingStore> store() {
        return Optional.empty();
    }

    /** The consumer lag the pipeline view shows. */
    ConsumerLag lag();

    /** The audit trail every read is recorded in before it is answered, when the backend keeps one. */
    default Optional<AuditLog> audit() {
        return Optional.empty();
    }

    /** "Now" for the dashboard: the system clock for live data, or a clock at the end of stored data. */
    Clock clock();

    /** One line for the report: what is stored, where. */
    String describe();

    @Override
    void close();
}
