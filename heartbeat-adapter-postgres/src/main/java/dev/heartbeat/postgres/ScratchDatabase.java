package dev.heartbeat.postgres;

import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.reading.Reading;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A database of its own beside the one {@code settings} name, on the same server, with Heartbeat's
 * schema and today's partitions (and the day before and after), dropped on {@link #close()}. For the
 * benchmark's ingest ceiling: one plain COPY of rows into the very schema the consumer writes.
 */
public final class ScratchDatabase implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final PostgresSettings server;
    private final String name;
    private final PostgresSettings scratch;

    private ScratchDatabase(PostgresSettings server, String name) {
        this.server = server;
        this.name = name;
        this.scratch = PostgresSettings.of(server.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"),
                server.user(), server.password());
    }

    /** Creates database {@code name} (lower-case letters, digits, {@code _}) and migrates it. */
    public static ScratchDatabase create(PostgresSettings server, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a scratch database name is lower-case letters, digits and _, got " + name);
        }
        ScratchDatabase database = new ScratchDatabase(server, name);
        database.execute(server, "CREATE DATABASE " + name);
        try (PostgresDatabase schema = PostgresDatabase.connect(database.scratch)) {
            schema.migrate();
        }
        database.execute(database.scratch, "SELECT heartbeat_create_partitions(current_date - 1, current_date + 2)");
        return database;
    }

    /** Readings stored in it. */
    public long readings() {
        try (Connection c = connect(scratch); Statement s = c.createStatement();
             ResultSet count = s.executeQuery("SELECT count(*) FROM heartbeat_records")) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            throw new StoreUnavailableException("counting the scratch database's readings: " + e.getMessage(), e);
        }
    }

    /** One COPY of {@code readings} into {@code heartbeat_records}; the nanoseconds the COPY took (its text is made before). */
    public long copy(List<Reading> readings) {
        StringBuilder rows = new StringBuilder(readings.size() * 60);
        for (Reading r : readings) {
            rows.append(r.customerId()).append('\t').append(r.recordedAt()).append('\t').append(r.heartRate()).append('\t')
                    .append(r.level().wireName()).append('\t').append(r.activity().wireName()).append('\n');
        }
        String text = rows.toString();
        try (Connection c = connect(scratch)) {
            long began = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity) FROM STDIN",
                    new StringReader(text));
            return System.nanoTime() - began;
        } catch (SQLException | IOException e) {
            throw new StoreUnavailableException("copying into the scratch database: " + e.getMessage(), e);
        }
    }

    /** Drops the database, closing whatever is still connected to it. */
    @Override
    public void close() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(PostgresSettings on, String sql) {
        try (Connection c = connect(on); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StoreUnavailableException("scratch database " + name + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(PostgresSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }
}
