package dev.heartbeat.postgres;

import dev.heartbeat.core.StoreUnavailableException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongConsumer;

/**
 * What PostgreSQL recorded of ingest, read for benchmarks on one connection kept open: how many
 * messages the consumers have taken care of, polled cheaply, and how long stored readings took to be
 * stored — each reading's {@code created_at} (now() of the transaction that stored it) against its
 * {@code recorded_at}, and each batch's {@code ingest_batches.latency_us} (its oldest reading to its
 * commit), streamed row by row.
 */
public final class IngestMeasurements implements AutoCloseable {

    private final Connection connection;

    private IngestMeasurements(Connection connection) {
        this.connection = connection;
    }

    public static IngestMeasurements open(PostgresSettings settings) {
        try {
            return new IngestMeasurements(DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password()));
        } catch (SQLException e) {
            throw new StoreUnavailableException("connecting to measure ingest: " + e.getMessage(), e);
        }
    }

    /** Messages taken care of (stored, rejected or duplicates), over every partition: one small sum of {@code stream_positions}. */
    public long messages() {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(messages), 0) FROM stream_positions")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreUnavailableException("counting the messages taken care of: " + e.getMessage(), e);
        }
    }

    /** Every reading recorded at or after {@code since}: microseconds from its timestamp to its storing transaction (at least 0). */
    public void readingLatencies(Instant since, LongConsumer micros) {
        stream("SELECT greatest(0, (extract(epoch FROM created_at - recorded_at) * 1000000)::bigint) FROM heartbeat_records"
                + " WHERE recorded_at >= ?", since, micros);
    }

    /** Every batch that stored readings, oldest reading at or after {@code since}: microseconds from it to the commit (at least 0). */
    public void batchLatencies(Instant since, LongConsumer micros) {
        stream("SELECT greatest(0, latency_us) FROM ingest_batches WHERE stored > 0 AND oldest_reading >= ?", since, micros);
    }

    private void stream(String sql, Instant since, LongConsumer micros) {
        try {
            connection.setAutoCommit(false); // the fetch size streams the rows
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(10_000);
                statement.setObject(1, since.atOffset(ZoneOffset.UTC));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        micros.accept(rows.getLong(1));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("reading ingest latencies: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreUnavailableException("closing the measuring connection: " + e.getMessage(), e);
        }
    }
}
