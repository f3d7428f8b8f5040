package dev.heartbeat.postgres;

import dev.heartbeat.core.reading.Reading;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes readings with COPY (binary). {@link #copy} goes straight into heartbeat_records and fails the
 * transaction with a unique violation if any natural key is stored already; {@link #insertNew} is the
 * slower path for such a batch: COPY into a temporary table, then INSERT ... ON CONFLICT DO NOTHING, which
 * tells how many were new.
 */
final class ReadingCopy {

    private static final String COLUMNS = "(customer_id, recorded_at, heart_rate, anomaly_level, activity)";
    static final String COPY_READINGS = "COPY heartbeat_records " + COLUMNS + " FROM STDIN (FORMAT binary)";
    private static final String CREATE_STAGING = """
            CREATE TEMPORARY TABLE IF NOT EXISTS heartbeat_staging (
                customer_id varchar(50) COLLATE "C" NOT NULL,
                recorded_at timestamptz NOT NULL,
                heart_rate smallint NOT NULL,
                anomaly_level varchar(20) NOT NULL,
                activity varchar(10) NOT NULL
            ) ON COMMIT DELETE ROWS""";
    private static final String COPY_STAGING = "COPY heartbeat_staging " + COLUMNS + " FROM STDIN (FORMAT binary)";
    private static final String INSERT_NEW = "INSERT INTO heartbeat_records " + COLUMNS
            + " SELECT customer_id, recorded_at, heart_rate, anomaly_level, activity FROM heartbeat_staging"
            + " ON CONFLICT (customer_id, recorded_at) DO NOTHING";

    private ReadingCopy() {
    }

    /** Copies every reading; the natural keys must all be new. */
    static int copy(Handle handle, List<Reading> readings) {
        if (readings.isEmpty()) {
            return 0;
        }
        return (int) stream(handle, COPY_READINGS, readings, "heartbeat_records");
    }

    /** Stores the readings whose natural key is not stored yet and returns how many that was. */
    static int insertNew(Handle handle, List<Reading> readings) {
        if (readings.isEmpty()) {
            return 0;
        }
        handle.execute(CREATE_STAGING);
        stream(handle, COPY_STAGING, readings, "heartbeat_staging");
        return handle.execute(INSERT_NEW);
    }

    /** Encodes the readings into the COPY as it goes, chunk by chunk; returns the rows copied. */
    private static long stream(Handle handle, String sql, List<Reading> readings, String table) {
        CopyIn copy = null;
        try {
            copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            CopyIn target = copy;
            BinaryCopyBuffer buffer = new BinaryCopyBuffer(0, (bytes, length) -> target.writeToCopy(bytes, 0, length));
            for (Reading reading : readings) {
                buffer.row(5)
                        .text(reading.customerId().value())
                        .timestamptz(reading.recordedAt())
                        .int2(reading.heartRate())
                        .text(reading.level().wireName())
                        .text(reading.activity().wireName());
            }
            byte[] rest = buffer.finish();
            copy.writeToCopy(rest, 0, rest.length);
            return copy.endCopy();
        } catch (SQLException e) {
            cancelQuietly(copy, e);
            throw new CopyFailedException(table, e);
        }
    }

    private static void cancelQuietly(CopyIn copy, SQLException cause) {
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException cancelFailure) {
            cause.addSuppressed(cancelFailure);
        }
    }

    static long copyIn(Handle handle, String sql, byte[] data, String table) {
        try {
            return handle.getConnection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(sql, new ByteArrayInputStream(data), 64 * 1024);
        } catch (SQLException | IOException e) {
            throw new CopyFailedException(table, e);
        }
    }
}
