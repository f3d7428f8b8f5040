-- Heartbeat schema, version 1: readings, rejects, source positions and the summaries the dashboard reads.
--
--   heartbeat_records        the readings: daily range partitions on recorded_at (UTC), natural key
--                            (customer_id, recorded_at), BRIN on time, partial index for the critical bands
--   rejected_readings        messages that did not become readings: raw bytes, reason, source position
--   stream_positions         next offset per topic-partition, with running totals (counters need no scan)
--   stream_reject_counts     rejects per topic-partition and reason since the beginning
--   ingest_batches           one row per committed pipeline batch (throughput and latency)
--   customers                per customer: first and latest reading            }
--   heartbeat_minutes        per customer and minute: count, sum, sum of squares,  } summaries, kept up to
--                            min, max and readings per band (daily partitions)     } summary_state.snapshot
--   heartbeat_days           the same per customer and day                         } by heartbeat_summarize()
--   heartbeat_minute_totals  the same per minute across customers (no per-customer) }
--
-- Writing a reading costs one row in heartbeat_records and nothing else: the summaries are brought up to
-- date in bulk by heartbeat_summarize() (the application calls it every second or so; psql users may call
-- it too). Every query that reads a summary adds the readings not summarized yet (the view
-- heartbeat_unsummarized), so answers are exact whenever they are asked. A reading knows the transaction
-- that wrote it (ingest_txid); summary_state keeps the snapshot the summaries are complete for, so "not
-- summarized yet" is exactly "written by a transaction that snapshot did not see" -- whoever wrote it:
-- the application's COPY, an INSERT, or a psql \copy.

-- The human description of a band (the original anomaly_description). The classifier lives in the
-- application; this only names its bands.
CREATE FUNCTION heartbeat_level_description(level text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE level
    WHEN 'critical_low' THEN 'Severe Bradycardia'
    WHEN 'low' THEN 'Bradycardia'
    WHEN 'normal' THEN 'Normal'
    WHEN 'elevated' THEN 'Elevated (Exercise/Stress)'
    WHEN 'high' THEN 'Tachycardia'
    WHEN 'critical_high' THEN 'Severe Tachycardia'
END;

-- ---------------------------------------------------------------------------------------------------------
-- Readings
-- ---------------------------------------------------------------------------------------------------------
-- No surrogate id: the natural key identifies a reading and catches replays. COLLATE "C": customer ids are
-- ASCII, ordered byte-wise as the application orders them, and compared fastest. No DEFAULT partition:
-- a row for a day without a partition fails loudly instead of landing where retention never drops it.
CREATE TABLE heartbeat_records (
    customer_id         varchar(50) COLLATE "C" NOT NULL,
    recorded_at         timestamptz NOT NULL,
    heart_rate          smallint    NOT NULL,
    anomaly_level       varchar(20) NOT NULL,
    activity            varchar(10) NOT NULL,
    -- Derived from the level by the database, never sent: it cannot disagree with the level and costs the
    -- writer nothing on the wire (PostgreSQL 18 could make it VIRTUAL and store nothing).
    anomaly_description varchar(100) GENERATED ALWAYS AS (heartbeat_level_description(anomaly_level)) STORED,
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- The writing transaction (pg_current_xact_id), for the summaries; see the header.
    ingest_txid         bigint      NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    CONSTRAINT heartbeat_records_pkey PRIMARY KEY (customer_id, recorded_at),
    CONSTRAINT chk_heart_rate_range CHECK (heart_rate >= 30 AND heart_rate <= 250),
    CONSTRAINT chk_anomaly_level CHECK (anomaly_level IN ('normal', 'elevated', 'low', 'high', 'critical_low', 'critical_high')),
    CONSTRAINT chk_activity CHECK (activity IN ('rest', 'normal', 'exercise', 'anomaly'))
) PARTITION BY RANGE (recorded_at);

COMMENT ON TABLE heartbeat_records IS 'Heart-rate readings, one per (customer_id, recorded_at); daily partitions heartbeat_records_pYYYYMMDD (UTC)';
COMMENT ON COLUMN heartbeat_records.activity IS 'What the wearer was doing: the message''s state (rest, normal, exercise, anomaly)';

-- Rows arrive roughly in time (and transaction) order, so BRIN indexes answer time ranges and "written
-- lately" at a tiny fraction of a B-tree's cost; autosummarize keeps the newest block ranges summarized.
CREATE INDEX heartbeat_records_recorded_at_brin ON heartbeat_records
    USING brin (recorded_at) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX heartbeat_records_ingest_txid_brin ON heartbeat_records
    USING brin (ingest_txid) WITH (pages_per_range = 32, autosummarize = on);
-- The critical feed (critical_anomalies), newest first, in key order for keyset paging.
CREATE INDEX heartbeat_records_critical_idx ON heartbeat_records (recorded_at DESC, customer_id DESC)
    WHERE anomaly_level IN ('critical_low', 'critical_high');

-- ---------------------------------------------------------------------------------------------------------
-- Rejects, positions, counters, batches (written in the batch's transaction)
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE rejected_readings (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    message_offset bigint      NOT NULL,
    reason         text        NOT NULL,
    detail         text        NOT NULL,
    payload        bytea       NOT NULL,
    payload_size   integer     NOT NULL,
    received_at    timestamptz NOT NULL,
    CONSTRAINT chk_payload_size CHECK (payload_size >= length(payload))
);

COMMENT ON COLUMN rejected_readings.payload IS 'The raw message bytes, cut to 64 KiB; payload_size is the original size';

CREATE INDEX rejected_readings_received_idx ON rejected_readings (received_at DESC, id DESC);
CREATE INDEX rejected_readings_reason_idx ON rejected_readings (reason, received_at DESC, id DESC);

-- next_offset is NULL only inside the transaction that creates the row.
CREATE TABLE stream_positions (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint,
    messages    bigint      NOT NULL DEFAULT 0,
    stored      bigint      NOT NULL DEFAULT 0,
    rejected    bigint      NOT NULL DEFAULT 0,
    duplicates  bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

COMMENT ON TABLE stream_positions IS 'Consumed position per topic-partition, written with each batch; a batch''s counts go to the first partition it covers';

CREATE TABLE stream_reject_counts (
    topic     text    NOT NULL,
    partition integer NOT NULL,
    reason    text    NOT NULL,
    rejects   bigint  NOT NULL,
    PRIMARY KEY (topic, partition, reason)
);

CREATE TABLE ingest_batches (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    messages       integer     NOT NULL,
    stored         integer     NOT NULL,
    rejected       integer     NOT NULL,
    duplicates     integer     NOT NULL,
    oldest_reading timestamptz,
    latency_us     bigint      NOT NULL
);

COMMENT ON COLUMN ingest_batches.latency_us IS 'committed_at minus the oldest reading of the batch, in microseconds (0 without readings)';

CREATE INDEX ingest_batches_committed_idx ON ingest_batches (committed_at);

-- ---------------------------------------------------------------------------------------------------------
-- Summaries
-- ---------------------------------------------------------------------------------------------------------
-- The snapshot (pg_current_snapshot) the summaries are complete for: they hold exactly the readings
-- written by transactions visible in it.
CREATE TABLE summary_state (
    id              boolean     PRIMARY KEY DEFAULT true CHECK (id),
    snapshot        pg_snapshot NOT NULL,
    summarized_at   timestamptz NOT NULL,
    summarized_rows bigint      NOT NULL
);

-- Nothing is summarized yet: a snapshot that sees no transaction at all.
INSERT INTO summary_state (snapshot, summarized_at, summarized_rows) VALUES ('1:1:', now(), 0);

CREATE TABLE customers (
    customer_id          varchar(50) COLLATE "C" PRIMARY KEY,
    first_seen_at        timestamptz NOT NULL, -- the oldest reading ever summarized (retention does not move it)
    latest_recorded_at   timestamptz NOT NULL,
    latest_heart_rate    smallint    NOT NULL,
    latest_anomaly_level varchar(20) NOT NULL,
    latest_activity      varchar(10) NOT NULL
) WITH (fillfactor = 50); -- room for HOT updates: every summary rewrites the rows of active customers

CREATE TABLE heartbeat_minutes (
    customer_id       varchar(50) COLLATE "C" NOT NULL,
    minute            timestamptz NOT NULL,
    readings          integer     NOT NULL,
    heart_rate_sum    bigint      NOT NULL,
    heart_rate_sum_sq bigint      NOT NULL,
    heart_rate_min    smallint    NOT NULL,
    heart_rate_max    smallint    NOT NULL,
    critical_low      integer     NOT NULL,
    low               integer     NOT NULL,
    normal            integer     NOT NULL,
    elevated          integer     NOT NULL,
    high              integer     NOT NULL,
    critical_high     integer     NOT NULL,
    PRIMARY KEY (customer_id, minute)
) PARTITION BY RANGE (minute);

COMMENT ON TABLE heartbeat_minutes IS 'Summarized readings per customer and minute; daily partitions heartbeat_minutes_pYYYYMMDD (UTC), dropped with the readings';

CREATE TABLE heartbeat_days (
    customer_id       varchar(50) COLLATE "C" NOT NULL,
    day               date        NOT NULL,
    readings          bigint      NOT NULL,
    heart_rate_sum    bigint      NOT NULL,
    heart_rate_sum_sq bigint      NOT NULL,
    heart_rate_min    smallint    NOT NULL,
    heart_rate_max    smallint    NOT NULL,
    critical          bigint      NOT NULL,
    PRIMARY KEY (customer_id, day)
) WITH (fillfactor = 50); -- every summary updates today's row of each active customer: keep those updates HOT

CREATE TABLE heartbeat_minute_totals (
    minute         timestamptz PRIMARY KEY,
    readings       bigint NOT NULL,
    heart_rate_sum bigint NOT NULL,
    critical_low   bigint NOT NULL,
    low            bigint NOT NULL,
    normal         bigint NOT NULL,
    elevated       bigint NOT NULL,
    high           bigint NOT NULL,
    critical_high  bigint NOT NULL
);

-- The readings the summaries do not hold yet. The lower bound on ingest_txid lets the BRIN index skip
-- everything older; ids at or past the snapshot's xmax are unseen by it, and only those in between need
-- the (exact, costlier) snapshot test.
CREATE VIEW heartbeat_unsummarized AS
SELECT r.customer_id, r.recorded_at, r.heart_rate, r.anomaly_level, r.activity
FROM heartbeat_records r
WHERE r.ingest_txid >= (SELECT pg_snapshot_xmin(snapshot)::text::bigint FROM summary_state)
  AND (r.ingest_txid >= (SELECT pg_snapshot_xmax(snapshot)::text::bigint FROM summary_state)
       OR NOT pg_visible_in_snapshot(r.ingest_txid::text::xid8, (SELECT snapshot FROM summary_state)));

-- Every customer and minute that has readings: the summarized part and the part still unsummarized,
-- merged. Filters on customer_id and minute reach both parts.
CREATE VIEW heartbeat_minute_rollups AS
SELECT customer_id, minute, sum(readings)::bigint AS readings, sum(heart_rate_sum)::bigint AS heart_rate_sum,
       sum(heart_rate_sum_sq)::bigint AS heart_rate_sum_sq, min(heart_rate_min)::integer AS heart_rate_min,
       max(heart_rate_max)::integer AS heart_rate_max, sum(critical_low)::bigint AS critical_low,
       sum(low)::bigint AS low, sum(normal)::bigint AS normal, sum(elevated)::bigint AS elevated,
       sum(high)::bigint AS high, sum(critical_high)::bigint AS critical_high
FROM (
    SELECT customer_id, minute, readings, heart_rate_sum, heart_rate_sum_sq, heart_rate_min, heart_rate_max,
           critical_low, low, normal, elevated, high, critical_high
    FROM heartbeat_minutes
    UNION ALL
    SELECT customer_id, date_bin('1 minute', recorded_at, timestamptz '1970-01-01 00:00:00+00'), 1,
           heart_rate, heart_rate::integer * heart_rate, heart_rate, heart_rate,
           (anomaly_level = 'critical_low')::integer, (anomaly_level = 'low')::integer,
           (anomaly_level = 'normal')::integer, (anomaly_level = 'elevated')::integer,
           (anomaly_level = 'high')::integer, (anomaly_level = 'critical_high')::integer
    FROM heartbeat_unsummarized
) parts
GROUP BY customer_id, minute;

-- Brings the summaries up to date with every reading committed before it starts, in one statement, and
-- returns how many readings it added; returns 0 at once while another call is at work (that one does it).
-- Callable from psql after a bulk load.
CREATE FUNCTION heartbeat_summarize() RETURNS bigint
    LANGUAGE plpgsql SET search_path FROM CURRENT AS
$$
DECLARE
    added bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM summary_state FOR UPDATE SKIP LOCKED) THEN
        RETURN 0;
    END IF;
    WITH tail AS MATERIALIZED (
        SELECT customer_id, recorded_at, heart_rate, anomaly_level, activity FROM heartbeat_unsummarized
    ), per_minute AS MATERIALIZED (
        SELECT customer_id,
               date_bin('1 minute', recorded_at, timestamptz '1970-01-01 00:00:00+00') AS minute,
               count(*)::integer                                                 AS n,
               sum(heart_rate)::bigint                                           AS s,
               sum(heart_rate::integer * heart_rate)::bigint                     AS sq,
               min(heart_rate)                                                   AS mn,
               max(heart_rate)                                                   AS mx,
               count(*) FILTER (WHERE anomaly_level = 'critical_low')::integer  AS cl,
               count(*) FILTER (WHERE anomaly_level = 'low')::integer           AS lo,
               count(*) FILTER (WHERE anomaly_level = 'normal')::integer        AS nm,
               count(*) FILTER (WHERE anomaly_level = 'elevated')::integer      AS el,
               count(*) FILTER (WHERE anomaly_level = 'high')::integer          AS hi,
               count(*) FILTER (WHERE anomaly_level = 'critical_high')::integer AS ch
        FROM tail
        GROUP BY 1, 2
    ), minutes_written AS (
        INSERT INTO heartbeat_minutes AS t
        SELECT * FROM per_minute ORDER BY 1, 2
        ON CONFLICT (customer_id, minute) DO UPDATE SET
            readings          = t.readings + excluded.readings,
            heart_rate_sum    = t.heart_rate_sum + excluded.heart_rate_sum,
            heart_rate_sum_sq = t.heart_rate_sum_sq + excluded.heart_rate_sum_sq,
            heart_rate_min    = least(t.heart_rate_min, excluded.heart_rate_min),
            heart_rate_max    = greatest(t.heart_rate_max, excluded.heart_rate_max),
            critical_low      = t.critical_low + excluded.critical_low,
            low               = t.low + excluded.low,
            normal            = t.normal + excluded.normal,
            elevated          = t.elevated + excluded.elevated,
            high              = t.high + excluded.high,
            critical_high     = t.critical_high + excluded.critical_high
    ), days_written AS (
        INSERT INTO heartbeat_days AS t
        SELECT customer_id, (minute AT TIME ZONE 'UTC')::date, sum(n), sum(s), sum(sq), min(mn), max(mx), sum(cl + ch)
        FROM per_minute
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (customer_id, day) DO UPDATE SET
            readings          = t.readings + excluded.readings,
            heart_rate_sum    = t.heart_rate_sum + excluded.heart_rate_sum,
            heart_rate_sum_sq = t.heart_rate_sum_sq + excluded.heart_rate_sum_sq,
            heart_rate_min    = least(t.heart_rate_min, excluded.heart_rate_min),
            heart_rate_max    = greatest(t.heart_rate_max, excluded.heart_rate_max),
            critical          = t.critical + excluded.critical
    ), totals_written AS (
        INSERT INTO heartbeat_minute_totals AS t
        SELECT minute, sum(n), sum(s), sum(cl), sum(lo), sum(nm), sum(el), sum(hi), sum(ch)
        FROM per_minute
        GROUP BY 1
        ORDER BY 1
        ON CONFLICT (minute) DO UPDATE SET
            readings       = t.readings + excluded.readings,
            heart_rate_sum = t.heart_rate_sum + excluded.heart_rate_sum,
            critical_low   = t.critical_low + excluded.critical_low,
            low            = t.low + excluded.low,
            normal         = t.normal + excluded.normal,
            elevated       = t.elevated + excluded.elevated,
            high           = t.high + excluded.high,
            critical_high  = t.critical_high + excluded.critical_high
    ), customers_written AS (
        INSERT INTO customers AS t
        SELECT DISTINCT ON (customer_id) customer_id, min(recorded_at) OVER (PARTITION BY customer_id),
               recorded_at, heart_rate, anomaly_level, activity
        FROM tail
        ORDER BY customer_id, recorded_at DESC
        ON CONFLICT (customer_id) DO UPDATE SET
            first_seen_at        = least(t.first_seen_at, excluded.first_seen_at),
            latest_recorded_at   = greatest(t.latest_recorded_at, excluded.latest_recorded_at),
            latest_heart_rate    = CASE WHEN excluded.latest_recorded_at > t.latest_recorded_at
                                        THEN excluded.latest_heart_rate ELSE t.latest_heart_rate END,
            latest_anomaly_level = CASE WHEN excluded.latest_recorded_at > t.latest_recorded_at
                                        THEN excluded.latest_anomaly_level ELSE t.latest_anomaly_level END,
            latest_activity      = CASE WHEN excluded.latest_recorded_at > t.latest_recorded_at
                                        THEN excluded.latest_activity ELSE t.latest_activity END
    )
    -- the snapshot of this very statement: the one that saw exactly the rows summarized above
    UPDATE summary_state
    SET snapshot = pg_current_snapshot(), summarized_at = clock_timestamp(),
        summarized_rows = summarized_rows + (SELECT count(*) FROM tail)
    RETURNING (SELECT count(*) FROM tail) INTO added;
    RETURN added;
END
$$;

-- Rebuilds every summary from the readings and returns how many it summarized. For after a logical
-- restore (pg_dump/pg_restore into another cluster), whose transaction ids differ from those in ingest_txid.
CREATE FUNCTION heartbeat_rebuild_summaries() RETURNS bigint
    LANGUAGE plpgsql SET search_path FROM CURRENT AS
$$
BEGIN
    LOCK TABLE summary_state IN EXCLUSIVE MODE;
    TRUNCATE customers, heartbeat_minutes, heartbeat_days, heartbeat_minute_totals;
    -- ids not plainly in this server's past become 1: unsummarized now, and in the past for good after
    UPDATE heartbeat_records SET ingest_txid = 1
    WHERE ingest_txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
    UPDATE summary_state SET snapshot = '1:1:', summarized_rows = 0;
    RETURN heartbeat_summarize();
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Partitions
-- ---------------------------------------------------------------------------------------------------------
-- Creates the daily partitions (UTC) of heartbeat_records and heartbeat_minutes from first_day to
-- last_day that do not exist yet, and returns their names. Safe to call concurrently.
CREATE FUNCTION heartbeat_create_partitions(first_day date, last_day date) RETURNS SETOF text
    LANGUAGE plpgsql SET search_path FROM CURRENT AS
$$
DECLARE
    day    date;
    parent text;
    child  text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('heartbeat_partitions'));
    FOR day IN SELECT generate_series(first_day, last_day, interval '1 day')::date LOOP
        FOREACH parent IN ARRAY ARRAY['heartbeat_records', 'heartbeat_minutes'] LOOP
            child := parent || '_p' || to_char(day, 'YYYYMMDD');
            IF to_regclass(quote_ident(child)) IS NULL THEN
                -- a minute's row is updated by every summary during that minute: leave room for HOT updates
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = %s)',
                               child, parent, to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00',
                               to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00',
                               CASE parent WHEN 'heartbeat_minutes' THEN 70 ELSE 100 END);
                RETURN NEXT child;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- The days (UTC) that have a heartbeat_records partition.
CREATE FUNCTION heartbeat_partition_days() RETURNS SETOF date
    LANGUAGE sql STABLE SET search_path FROM CURRENT AS
$$
SELECT to_date(right(c.relname, 8), 'YYYYMMDD')
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'heartbeat_records'::regclass AND c.relname ~ '^heartbeat_records_p[0-9]{8}$'
ORDER BY 1
$$;

-- Drops the daily partitions of heartbeat_records and heartbeat_minutes for the days before before_day,
-- whole, and returns their names. Partitions not named by heartbeat_create_partitions are left alone.
CREATE FUNCTION heartbeat_drop_partitions(before_day date) RETURNS SETOF text
    LANGUAGE plpgsql SET search_path FROM CURRENT AS
$$
DECLARE
    child text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('heartbeat_partitions'));
    FOR child IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('heartbeat_records'::regclass, 'heartbeat_minutes'::regclass)
          AND c.relname ~ '^heartbeat_(records|minutes)_p[0-9]{8}$'
          AND to_date(right(c.relname, 8), 'YYYYMMDD') < before_day
        ORDER BY 1
    LOOP
        EXECUTE format('DROP TABLE %I', child);
        RETURN NEXT child;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- The original views: same names and meaning, fast at tens of millions of readings
-- ---------------------------------------------------------------------------------------------------------
-- The latest reading of each customer (the original ran DISTINCT ON over the whole table; here: one row
-- per customer, unless a reading not summarized yet is newer).
CREATE VIEW recent_heartbeats AS
WITH unsummarized AS MATERIALIZED (
    SELECT DISTINCT ON (customer_id) customer_id, recorded_at, heart_rate, anomaly_level, activity
    FROM heartbeat_unsummarized
    ORDER BY customer_id, recorded_at DESC
)
SELECT c.customer_id, c.latest_recorded_at AS recorded_at, c.latest_heart_rate AS heart_rate,
       c.latest_anomaly_level AS anomaly_level, heartbeat_level_description(c.latest_anomaly_level) AS anomaly_description,
       c.latest_activity AS activity
FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM unsummarized u WHERE u.customer_id = c.customer_id AND u.recorded_at > c.latest_recorded_at)
UNION ALL
SELECT u.customer_id, u.recorded_at, u.heart_rate, u.anomaly_level, heartbeat_level_description(u.anomaly_level), u.activity
FROM unsummarized u
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = u.customer_id AND c.latest_recorded_at >= u.recorded_at);

-- The critical readings, newest first (heartbeat_records_critical_idx).
CREATE VIEW critical_anomalies AS
SELECT customer_id, recorded_at, heart_rate, anomaly_level, anomaly_description, activity, created_at
FROM heartbeat_records
WHERE anomaly_level IN ('critical_low', 'critical_high')
ORDER BY recorded_at DESC, customer_id DESC;

-- Per customer over the stored readings: count, mean, lowest, highest, sample standard deviation (as
-- SQL's stddev), critical readings and the time of the last reading.
CREATE VIEW customer_stats AS
WITH parts AS (
    SELECT customer_id, readings, heart_rate_sum, heart_rate_sum_sq, heart_rate_min, heart_rate_max, critical
    FROM heartbeat_days
    UNION ALL
    SELECT customer_id, 1, heart_rate, heart_rate::integer * heart_rate, heart_rate, heart_rate,
           (anomaly_level IN ('critical_low', 'critical_high'))::integer
    FROM heartbeat_unsummarized
), totals AS (
    SELECT customer_id, sum(readings) AS n, sum(heart_rate_sum) AS s, sum(heart_rate_sum_sq) AS sq,
           min(heart_rate_min) AS mn, max(heart_rate_max) AS mx, sum(critical) AS critical
    FROM parts
    GROUP BY customer_id
)
SELECT t.customer_id,
       t.n::bigint                                                      AS total_readings,
       t.s / t.n                                                        AS avg_heart_rate,
       t.mn::integer                                                    AS min_heart_rate,
       t.mx::integer                                                    AS max_heart_rate,
       CASE WHEN t.n > 1 THEN sqrt(greatest(t.n * t.sq - t.s * t.s, 0) / (t.n * (t.n - 1))) END AS stddev_heart_rate,
       t.critical::bigint                                               AS critical_count,
       r.recorded_at                                                    AS last_reading
FROM totals t
JOIN recent_heartbeats r ON r.customer_id = t.customer_id;
