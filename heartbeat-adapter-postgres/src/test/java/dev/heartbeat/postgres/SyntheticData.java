package dev.heartbeat.postgres;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;

/**
 * Readings generated inside PostgreSQL (generate_series), fast: {@code customers} customers with one
 * reading every {@code every} for {@code perCustomer} readings ending about {@code end}, heart rates
 * wandering through the bands with a few critical ones, the level classified as the application does.
 */
final class SyntheticData {

    private SyntheticData() {
    }

    static long readings(Handle handle, int customers, int perCustomer, Duration every, Instant end) {
        Instant start = end.minus(every.multipliedBy(perCustomer));
        handle.createQuery("SELECT heartbeat_create_partitions((:start)::date - 1, (:end)::date + 1)")
                .bind("start", start).bind("end", end).mapTo(String.class).list();
        return handle.createUpdate("""
                INSERT INTO heartbeat_records (customer_id, recorded_at, heart_rate, anomaly_level, activity)
                SELECT 'cust-' || lpad(c::text, 5, '0'),
                       :start + s * (:everyMicros * interval '1 microsecond') + c * interval '1 millisecond',
                       hr,
                       CASE WHEN hr < 40 THEN 'critical_low' WHEN hr < 60 THEN 'low' WHEN hr <= 100 THEN 'normal'
                            WHEN hr <= 160 THEN 'elevated' WHEN hr <= 200 THEN 'high' ELSE 'critical_high' END,
                       (ARRAY['rest', 'normal', 'exercise', 'anomaly'])[1 + (c + s) % 4]
                FROM generate_series(1, :customers) AS c, generate_series(0, :perCustomer - 1) AS s,
                     LATERAL (SELECT CASE WHEN (c * 7 + s * 13) % 1999 = 0 THEN 35
                                          WHEN (c * 11 + s * 3) % 1997 = 0 THEN 215
                                          ELSE 50 + (c * 31 + s * 17 + (s / 30) * 7) % 130 END AS hr) AS h""")
                .bind("start", start)
                .bind("everyMicros", every.toNanos() / 1_000)
                .bind("customers", customers)
                .bind("perCustomer", perCustomer)
                .execute();
    }

    static void rejects(Handle handle, int count, Instant end) {
        handle.createUpdate("""
                INSERT INTO rejected_readings (topic, partition, message_offset, reason, detail, payload, payload_size, received_at)
                SELECT 'heartbeat-data', i % 3, i, CASE WHEN i % 5 = 0 THEN 'bad_timestamp' ELSE 'malformed_json' END,
                       'generated', payload, length(payload), :end - i * interval '1 second'
                FROM generate_series(1, :count) AS i, LATERAL (SELECT convert_to('{"i":' || i || '}', 'UTF8') AS payload) AS p""")
                .bind("end", end).bind("count", count).execute();
    }

    static void batches(Handle handle, int count, Instant end) {
        handle.createUpdate("""
                INSERT INTO ingest_batches (committed_at, messages, stored, rejected, duplicates, oldest_reading, latency_us)
                SELECT :end - i * interval '1 second', 500, 495, 5, 0, :end - i * interval '1 second' - interval '2 seconds', 2000000
                FROM generate_series(1, :count) AS i""")
                .bind("end", end).bind("count", count).execute();
    }
}
