package dev.heartbeat.postgres;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPlan;
import dev.heartbeat.core.query.HistoryPoint;
import dev.heartbeat.core.query.LatestOrder;
import dev.heartbeat.core.query.LatestPage;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Overview;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.WrittenSince;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.ThroughputPoint;
import dev.heartbeat.core.query.TimeBuckets;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The dashboard's questions, answered by PostgreSQL with the same answers as core's in-memory store.
 * Every value is a bound parameter. Summaries (customers, per-minute rollups, minute totals) answer the
 * wide questions, always together with the readings not summarized yet, so answers are exact at any
 * moment; readings answer the narrow ones through the natural key, the critical index or BRIN windows.
 */
public final class PostgresReadingQueries implements ReadingQueries {

    private static final Logger log = LoggerFactory.getLogger(PostgresReadingQueries.class);
    private static final Set<AnomalyLevel> CRITICAL = EnumSet.of(AnomalyLevel.CRITICAL_LOW, AnomalyLevel.CRITICAL_HIGH);
    private static final Duration FIRST_WINDOW = Duration.ofSeconds(1);
    private static final int MAX_WINDOWS = 24;

    /** How far from normal a reading's band is (AnomalyLevel.severity), for sorting: the schema's one definition (V6). */
    static final String SEVERITY = "heartbeat_severity(anomaly_level)";
    /** How many bpm outside the normal band (AnomalyLevel.distanceFromNormal), for sorting. */
    static final String DISTANCE = "greatest(60 - heart_rate, heart_rate - 100, 0)";

    private static final String LATEST_PAGE = """
            SELECT customer_id, recorded_at, heart_rate, activity, count(*) OVER () AS matching
            FROM recent_heartbeats
            WHERE anomaly_level = ANY(:levels) AND strpos(lower(customer_id), :needle) > 0
            ORDER BY %s
            LIMIT :limit OFFSET :offset""";
    private static final String LATEST_COUNT = """
            SELECT count(*) FROM recent_heartbeats
            WHERE anomaly_level = ANY(:levels) AND strpos(lower(customer_id), :needle) > 0""";
    private static final Map<LatestOrder, String> LATEST_BY_ORDER = latestByOrder();

    private static final String LATEST_OF_CUSTOMER = """
            SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records
            WHERE customer_id = :customer
            ORDER BY recorded_at DESC
            LIMIT 1""";

    private static final String HISTORY_RAW = """
            SELECT recorded_at AS at, heart_rate AS min, heart_rate AS max, heart_rate AS sum, 1 AS count
            FROM heartbeat_records
            WHERE customer_id = :customer AND recorded_at >= :from AND recorded_at < :to
            ORDER BY recorded_at""";
    private static final String HISTORY_RAW_BUCKETS = """
            SELECT date_bin(:bucketMicros * interval '1 microsecond', recorded_at, timestamptz '1970-01-01 00:00:00+00') AS at,
                   min(heart_rate) AS min, max(heart_rate) AS max, sum(heart_rate) AS sum, count(*) AS count
            FROM heartbeat_records
            WHERE customer_id = :customer AND recorded_at >= :from AND recorded_at < :to
            GROUP BY 1
            ORDER BY 1""";
    private static final String HISTORY_ROLLUPS = """
            SELECT date_bin(:bucketMicros * interval '1 microsecond', minute, timestamptz '1970-01-01 00:00:00+00') AS at,
                   min(heart_rate_min) AS min, max(heart_rate_max) AS max, sum(heart_rate_sum) AS sum, sum(readings) AS count
            FROM heartbeat_minute_rollups
            WHERE customer_id = :customer AND minute >= :from AND minute < :to
            GROUP BY 1
            ORDER BY 1""";

    private static final String RAW_TOTALS = """
            SELECT count(*) AS n, sum(heart_rate) AS s, sum(heart_rate::integer * heart_rate) AS sq,
                   min(heart_rate) AS mn, max(heart_rate) AS mx,
                   count(*) FILTER (WHERE anomaly_level IN ('critical_low', 'critical_high')) AS critical
            FROM heartbeat_records
            WHERE customer_id = :customer AND recorded_at >= %s AND recorded_at < %s""";
    private static final String STATS = "SELECT coalesce(sum(n), 0) AS n, sum(s) AS s, sum(sq) AS sq, min(mn) AS mn,"
            + " max(mx) AS mx, sum(critical) AS critical FROM ("
            + RAW_TOTALS.formatted(":from", ":innerFrom")
            + "\nUNION ALL\n"
            + RAW_TOTALS.formatted(":innerTo", ":to")
            + """

            UNION ALL
            SELECT sum(readings), sum(heart_rate_sum), sum(heart_rate_sum_sq), min(heart_rate_min), max(heart_rate_max),
                   sum(critical_low + critical_high)
            FROM heartbeat_minute_rollups
            WHERE customer_id = :customer AND minute >= :innerFrom AND minute < :innerTo
            ) parts""";
    private static final String LAST_IN_RANGE = """
            SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records
            WHERE customer_id = :customer AND recorded_at >= :from AND recorded_at < :to
            ORDER BY recorded_at DESC
            LIMIT 1""";

    private static final String BANDS = """
            SELECT coalesce(sum(critical_low), 0) AS critical_low, coalesce(sum(low), 0) AS low,
                   coalesce(sum(normal), 0) AS normal, coalesce(sum(elevated), 0) AS elevated,
                   coalesce(sum(high), 0) AS high, coalesce(sum(critical_high), 0) AS critical_high,
                   coalesce(sum(floor(60000.0::float8 * critical_low / readings + 0.5)), 0)::bigint AS critical_low_ms,
                   coalesce(sum(floor(60000.0::float8 * low / readings + 0.5)), 0)::bigint AS low_ms,
                   coalesce(sum(floor(60000.0::float8 * normal / readings + 0.5)), 0)::bigint AS normal_ms,
                   coalesce(sum(floor(60000.0::float8 * elevated / readings + 0.5)), 0)::bigint AS elevated_ms,
                   coalesce(sum(floor(60000.0::float8 * high / readings + 0.5)), 0)::bigint AS high_ms,
                   coalesce(sum(floor(60000.0::float8 * critical_high / readings + 0.5)), 0)::bigint AS critical_high_ms
            FROM heartbeat_minute_rollups
            WHERE customer_id = :customer AND minute >= :from AND minute < :to""";

    private static final String OVERVIEW = """
            SELECT coalesce(sum(readings), 0) AS readings, coalesce(sum(heart_rate_sum), 0) AS heart_rate_sum,
                   coalesce(sum(critical_low), 0) AS critical_low, coalesce(sum(low), 0) AS low,
                   coalesce(sum(normal), 0) AS normal, coalesce(sum(elevated), 0) AS elevated,
                   coalesce(sum(high), 0) AS high, coalesce(sum(critical_high), 0) AS critical_high
            FROM (
                SELECT readings, heart_rate_sum, critical_low, low, normal, elevated, high, critical_high
                FROM heartbeat_minute_totals
                WHERE minute >= :from AND minute < :to
                UNION ALL
                SELECT count(*), sum(heart_rate),
                       count(*) FILTER (WHERE anomaly_level = 'critical_low'), count(*) FILTER (WHERE anomaly_level = 'low'),
                       count(*) FILTER (WHERE anomaly_level = 'normal'), count(*) FILTER (WHERE anomaly_level = 'elevated'),
                       count(*) FILTER (WHERE anomaly_level = 'high'), count(*) FILTER (WHERE anomaly_level = 'critical_high')
                FROM heartbeat_unsummarized
                WHERE recorded_at >= :from AND recorded_at < :to
            ) parts""";
    /** Customers whose latest reading is at or after :from: summarized or not, counted once. */
    private static final String ACTIVE_CUSTOMERS = """
            SELECT count(*) FROM (
                SELECT customer_id FROM customers WHERE latest_recorded_at >= :from
                UNION
                SELECT customer_id FROM heartbeat_unsummarized WHERE recorded_at >= :from
            ) active""";
    private static final String CUSTOMERS = """
            SELECT (SELECT count(*) FROM customers)
                 + (SELECT count(DISTINCT customer_id) FROM heartbeat_unsummarized u
                    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = u.customer_id)) AS customers,
                   greatest((SELECT max(latest_recorded_at) FROM customers),
                            (SELECT max(recorded_at) FROM heartbeat_unsummarized)) AS newest""";

    private static final String FEED_OF_CUSTOMER = """
            SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records
            WHERE customer_id = :customer AND recorded_at >= :from AND recorded_at < :to AND recorded_at <= :at
              AND (recorded_at, customer_id) < (:at, :key) AND anomaly_level = ANY(:levels)
            ORDER BY recorded_at DESC, customer_id DESC
            LIMIT :limit""";
    private static final String FEED_OF_CRITICAL = """
            SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records
            WHERE anomaly_level IN ('critical_low', 'critical_high') AND anomaly_level = ANY(:levels)
              AND recorded_at >= :from AND recorded_at < :to AND (recorded_at, customer_id) < (:at, :key)
            ORDER BY recorded_at DESC, customer_id DESC
            LIMIT :limit""";
    private static final String FEED_WINDOW = """
            SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records
            WHERE recorded_at >= :from AND recorded_at < :to AND (recorded_at, customer_id) < (:at, :key)
              AND anomaly_level = ANY(:levels)
            ORDER BY recorded_at DESC, customer_id DESC
            LIMIT :limit""";
    /**
     * Just past the newest reading in the wanted bands before {@code :before}: from the minute totals (to the
     * minute, past its end) and from the readings not summarized yet (to the microsecond); NULL when none.
     */
    private static final String FEED_NEWEST_BEFORE = """
            SELECT (SELECT max(minute) + interval '1 minute' FROM heartbeat_minute_totals
                    WHERE minute < :before
                      AND CASE WHEN :critical_low THEN critical_low ELSE 0 END + CASE WHEN :low THEN low ELSE 0 END
                        + CASE WHEN :normal THEN normal ELSE 0 END + CASE WHEN :elevated THEN elevated ELSE 0 END
                        + CASE WHEN :high THEN high ELSE 0 END + CASE WHEN :critical_high THEN critical_high ELSE 0 END > 0)
                       AS summarized,
                   (SELECT max(recorded_at) + interval '1 microsecond' FROM heartbeat_unsummarized
                    WHERE recorded_at < :before AND anomaly_level = ANY(:levels)) AS unsummarized""";

    private static final String REJECT_COLUMNS = "id, topic, partition, message_offset, reason, detail, payload, payload_size, received_at";
    private static final String REJECTS = "SELECT " + REJECT_COLUMNS + """

            FROM rejected_readings
            WHERE received_at >= :from AND received_at < :to AND (received_at, id) < (:at, :id)
            ORDER BY received_at DESC, id DESC
            LIMIT :limit""";
    private static final String REJECTS_OF_REASON = "SELECT " + REJECT_COLUMNS + """

            FROM rejected_readings
            WHERE reason = :reason AND received_at >= :from AND received_at < :to AND (received_at, id) < (:at, :id)
            ORDER BY received_at DESC, id DESC
            LIMIT :limit""";

    private static final String THROUGHPUT = """
            SELECT date_bin(:bucketMicros * interval '1 microsecond', committed_at, timestamptz '1970-01-01 00:00:00+00') AS at,
                   sum(messages) AS messages, sum(stored) AS stored, sum(rejected) AS rejected,
                   sum(duplicates) AS duplicates, max(latency_us) AS latency_us
            FROM ingest_batches
            WHERE committed_at >= :from AND committed_at < :to
            GROUP BY 1""";

    private final Jdbi jdbi;

    public PostgresReadingQueries(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    private static Map<LatestOrder, String> latestByOrder() {
        Map<LatestOrder, String> sql = new EnumMap<>(LatestOrder.class);
        for (LatestOrder order : LatestOrder.values()) {
            String orderBy = switch (order) {
                case CUSTOMER -> "customer_id";
                case SEVERITY -> SEVERITY + " DESC, " + DISTANCE + " DESC, customer_id";
                case HEART_RATE_DESC -> "heart_rate DESC, customer_id";
                case HEART_RATE_ASC -> "heart_rate, customer_id";
                case RECENT -> "recorded_at DESC, customer_id";
            };
            sql.put(order, LATEST_PAGE.formatted(orderBy));
        }
        return Map.copyOf(sql);
    }

    @Override
    public LatestPage latest(LatestQuery query) {
        Objects.requireNonNull(query, "query");
        return read("listing the latest readings", handle -> {
            String needle = query.idContains().toLowerCase(Locale.ROOT);
            Object[] levels = wireNames(query.levels());
            long[] matching = {-1};
            List<Reading> readings = handle.createQuery(LATEST_BY_ORDER.get(query.order()))
                    .bindArray("levels", String.class, levels)
                    .bind("needle", needle)
                    .bind("limit", query.limit())
                    .bind("offset", query.offset())
                    .map((rs, ctx) -> {
                        matching[0] = rs.getLong("matching");
                        return ReadingRows.reading(rs);
                    })
                    .list();
            if (matching[0] < 0) {
                matching[0] = handle.createQuery(LATEST_COUNT)
                        .bindArray("levels", String.class, levels)
                        .bind("needle", needle)
                        .mapTo(Long.class).one();
            }
            return new LatestPage(readings, matching[0]);
        });
    }

    @Override
    public Optional<Reading> latest(CustomerId customer) {
        Objects.requireNonNull(customer, "customer");
        return read("finding a customer's latest reading", handle -> handle.createQuery(LATEST_OF_CUSTOMER)
                .bind("customer", customer.value())
                .map((rs, ctx) -> ReadingRows.reading(rs))
                .findOne());
    }

    @Override
    public History history(CustomerId customer, TimeRange range, int maxPoints) {
        Objects.requireNonNull(customer, "customer");
        HistoryPlan plan = HistoryPlan.of(Objects.requireNonNull(range, "range"), maxPoints);
        TimeRange span = plan.source() == HistoryPlan.Source.MINUTE_ROLLUPS ? TimeBuckets.wholeMinutes(range) : range;
        String sql = switch (plan.source()) {
            case RAW -> HISTORY_RAW;
            case RAW_BUCKETS -> HISTORY_RAW_BUCKETS;
            case MINUTE_ROLLUPS -> HISTORY_ROLLUPS;
        };
        List<HistoryPoint> points = read("drawing a customer's history", handle -> handle.createQuery(sql)
                .bind("customer", customer.value())
                .bind("from", span.from())
                .bind("to", span.to())
                .bind("bucketMicros", plan.bucket().toNanos() / 1_000)
                .map((rs, ctx) -> {
                    long count = rs.getLong("count");
                    return new HistoryPoint(ReadingRows.instant(rs, "at"), rs.getInt("min"), rs.getInt("max"),
                            (double) rs.getLong("sum") / count, count);
                })
                .list());
        return new History(customer, range, plan, points);
    }

    @Override
    public Optional<CustomerStats> stats(CustomerId customer, TimeRange range) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(range, "range");
        // whole minutes inside the range from the rollups, the ragged ends from the readings
        Instant innerFrom = ceilToMinute(range.from());
        Instant innerTo = range.to().truncatedTo(ChronoUnit.MINUTES);
        if (!innerFrom.isBefore(innerTo)) {
            innerFrom = range.to();
            innerTo = range.to();
        }
        Instant wholeFrom = innerFrom;
        Instant wholeTo = innerTo;
        return read("computing a customer's statistics", handle -> {
            Totals totals = handle.createQuery(STATS)
                    .bind("customer", customer.value())
                    .bind("from", range.from())
                    .bind("to", range.to())
                    .bind("innerFrom", wholeFrom)
                    .bind("innerTo", wholeTo)
                    .map((rs, ctx) -> new Totals(rs.getLong("n"), rs.getLong("s"), rs.getLong("sq"), rs.getInt("mn"),
                            rs.getInt("mx"), rs.getLong("critical")))
                    .one();
            if (totals.count() == 0) {
                return Optional.empty();
            }
            Reading last = handle.createQuery(LAST_IN_RANGE)
                    .bind("customer", customer.value())
                    .bind("from", range.from())
                    .bind("to", range.to())
                    .map((rs, ctx) -> ReadingRows.reading(rs))
                    .one();
            double avg = (double) totals.sum() / totals.count();
            double variance = Math.max(0, (double) totals.squares() / totals.count() - avg * avg);
            return Optional.of(new CustomerStats(customer, totals.count(), avg, totals.min(), totals.max(),
                    Math.sqrt(variance), totals.critical(), last));
        });
    }

    private record Totals(long count, long sum, long squares, int min, int max, long critical) {
    }

    private static Instant ceilToMinute(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(at) ? at : floor.plus(1, ChronoUnit.MINUTES);
    }

    @Override
    public BandBreakdown bands(CustomerId customer, TimeRange range) {
        Objects.requireNonNull(customer, "customer");
        TimeRange minutes = TimeBuckets.wholeMinutes(Objects.requireNonNull(range, "range"));
        return read("computing a customer's time per band", handle -> handle.createQuery(BANDS)
                .bind("customer", customer.value())
                .bind("from", minutes.from())
                .bind("to", minutes.to())
                .map((rs, ctx) -> {
                    Map<AnomalyLevel, Long> counts = new EnumMap<>(AnomalyLevel.class);
                    Map<AnomalyLevel, Duration> time = new EnumMap<>(AnomalyLevel.class);
                    for (AnomalyLevel level : AnomalyLevel.values()) {
                        counts.put(level, rs.getLong(level.wireName()));
                        time.put(level, Duration.ofMillis(rs.getLong(level.wireName() + "_ms")));
                    }
                    return new BandBreakdown(counts, time);
                })
                .one());
    }

    @Override
    public Overview overview(TimeRange range) {
        Objects.requireNonNull(range, "range");
        TimeRange minutes = TimeBuckets.wholeMinutes(range);
        return read("computing the overview", handle -> {
            long[] sums = new long[2];
            Map<AnomalyLevel, Long> byLevel = handle.createQuery(OVERVIEW)
                    .bind("from", minutes.from())
                    .bind("to", minutes.to())
                    .map((rs, ctx) -> {
                        sums[0] = rs.getLong("readings");
                        sums[1] = rs.getLong("heart_rate_sum");
                        Map<AnomalyLevel, Long> levels = new EnumMap<>(AnomalyLevel.class);
                        for (AnomalyLevel level : AnomalyLevel.values()) {
                            levels.put(level, rs.getLong(level.wireName()));
                        }
                        return levels;
                    })
                    .one();
            long active = handle.createQuery(ACTIVE_CUSTOMERS).bind("from", range.from()).mapTo(Long.class).one();
            return new Overview(range, sums[0], active, sums[0] == 0 ? 0 : (double) sums[1] / sums[0], byLevel);
        });
    }

    @Override
    public Page<Reading> readings(ReadingFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Instant at = page.after().map(Cursor::at).orElse(filter.range().to());
        String key = page.after().map(Cursor::key).orElse("");
        int need = page.limit() + 1;
        Object[] levels = wireNames(filter.levels());
        List<Reading> found = read("listing readings", handle -> {
            if (filter.customer().isPresent()) {
                return handle.createQuery(FEED_OF_CUSTOMER)
                        .bind("customer", filter.customer().get().value())
                        .bind("from", filter.range().from())
                        .bind("to", filter.range().to())
                        .bind("at", at)
                        .bind("key", key)
                        .bindArray("levels", String.class, levels)
                        .bind("limit", need)
                        .map((rs, ctx) -> ReadingRows.reading(rs))
                        .list();
            }
            if (CRITICAL.containsAll(filter.levels())) {
                return handle.createQuery(FEED_OF_CRITICAL)
                        .bindArray("levels", String.class, levels)
                        .bind("from", filter.range().from())
                        .bind("to", filter.range().to())
                        .bind("at", at)
                        .bind("key", key)
                        .bind("limit", need)
                        .map((rs, ctx) -> ReadingRows.reading(rs))
                        .list();
            }
            return inWindows(handle, filter, levels, at, key, need);
        });
        return page(found, page.limit(), r -> new Cursor(r.recordedAt(), r.customerId().value()));
    }

    /**
     * The newest {@code need} readings of any customer, read window by window backwards in time through the
     * BRIN index on recorded_at: the first window is the last second before the cursor, each next one
     * reaches eight times as far, until enough are found or the range is done. A window that comes back
     * empty makes the next one start at the newest reading in the wanted bands (the readings not summarized
     * yet say where to the microsecond, and then windows start small again; the minute totals to the
     * minute), so quiet stretches cost little. Dense feeds (everything, the bands outside normal) take a
     * window or two whatever the rate; a rare band over a long busy range reads much of the range (the
     * critical bands have their own index). At most {@value #MAX_WINDOWS} windows: the last takes the rest.
     */
    private List<Reading> inWindows(Handle handle, ReadingFilter filter, Object[] levels, Instant at, String key, int need) {
        Instant from = filter.range().from();
        Instant windowTo = min(filter.range().to(), at.plus(1, ChronoUnit.MICROS));
        Duration span = FIRST_WINDOW;
        List<Reading> found = new ArrayList<>();
        for (int windows = 1; windowTo.isAfter(from) && found.size() < need; windows++) {
            Instant windowFrom = windows >= MAX_WINDOWS ? from : max(from, windowTo.minus(span));
            List<Reading> window = handle.createQuery(FEED_WINDOW)
                    .bind("from", windowFrom)
                    .bind("to", windowTo)
                    .bind("at", at)
                    .bind("key", key)
                    .bindArray("levels", String.class, levels)
                    .bind("limit", need - found.size())
                    .map((rs, ctx) -> ReadingRows.reading(rs))
                    .list();
            found.addAll(window);
            windowTo = windowFrom;
            span = span.multipliedBy(8);
            if (window.isEmpty() && windowTo.isAfter(from)) {
                Optional<Newest> newest = newestBefore(handle, filter, levels, windowTo);
                if (newest.isEmpty()) {
                    break;
                }
                windowTo = newest.get().before();
                if (newest.get().exact()) {
                    span = FIRST_WINDOW;
                }
            }
        }
        return found;
    }

    /** Just past the newest wanted reading before a time, to the microsecond ({@code exact}) or to the minute. */
    private record Newest(Instant before, boolean exact) {
    }

    private static Optional<Newest> newestBefore(Handle handle, ReadingFilter filter, Object[] levels, Instant before) {
        var query = handle.createQuery(FEED_NEWEST_BEFORE)
                .bind("before", before)
                .bindArray("levels", String.class, levels);
        for (AnomalyLevel level : AnomalyLevel.values()) {
            query.bind(level.wireName(), filter.levels().contains(level));
        }
        return query.map((rs, ctx) -> {
            Optional<Instant> summarized = ReadingRows.optionalInstant(rs, "summarized");
            Optional<Instant> unsummarized = ReadingRows.optionalInstant(rs, "unsummarized");
            if (unsummarized.isPresent() && (summarized.isEmpty() || !unsummarized.get().isBefore(summarized.get()))) {
                return Optional.of(new Newest(unsummarized.get(), true));
            }
            // the totals answer to the minute, which may reach past the window: never go forward
            return summarized.map(end -> new Newest(min(end, before), false));
        }).one();
    }

    @Override
    public Page<StoredReject> rejects(RejectFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Instant at = page.after().map(Cursor::at).orElse(filter.range().to());
        long id = page.after().map(c -> rejectId(c.key())).orElse(Long.MAX_VALUE);
        List<StoredReject> found = read("listing rejects", handle -> {
            var query = handle.createQuery(filter.reason().isPresent() ? REJECTS_OF_REASON : REJECTS)
                    .bind("from", filter.range().from())
                    .bind("to", filter.range().to())
                    .bind("at", at)
                    .bind("id", id)
                    .bind("limit", page.limit() + 1);
            filter.reason().ifPresent(reason -> query.bind("reason", reason.code()));
            return query.map((rs, ctx) -> ReadingRows.reject(rs)).list();
        });
        return page(found, page.limit(), r -> new Cursor(r.message().receivedAt(), Long.toString(r.id())));
    }

    private static long rejectId(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("not a reject cursor: " + key);
        }
    }

    @Override
    public List<ThroughputPoint> throughput(TimeRange range, Duration bucket) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isNegative() || bucket.isZero() || range.length().dividedBy(bucket) > 10_000) {
            throw new InvalidValueException("throughput: bucket must be > 0 and give at most 10000 buckets");
        }
        if (bucket.toNanos() % 1_000 != 0) {
            throw new InvalidValueException("throughput: bucket must be a whole number of microseconds, got " + bucket);
        }
        Map<Instant, ThroughputPoint> byStart = read("computing throughput", handle -> {
            Map<Instant, ThroughputPoint> points = new HashMap<>();
            handle.createQuery(THROUGHPUT)
                    .bind("bucketMicros", bucket.toNanos() / 1_000)
                    .bind("from", range.from())
                    .bind("to", range.to())
                    .map((rs, ctx) -> new ThroughputPoint(ReadingRows.instant(rs, "at"), rs.getLong("messages"),
                            rs.getLong("stored"), rs.getLong("rejected"), rs.getLong("duplicates"),
                            Duration.of(rs.getLong("latency_us"), ChronoUnit.MICROS)))
                    .forEach(point -> points.put(point.at(), point));
            return points;
        });
        List<ThroughputPoint> points = new ArrayList<>();
        for (Instant start = TimeBuckets.floor(range.from(), bucket); start.isBefore(range.to()); start = start.plus(bucket)) {
            points.add(byStart.getOrDefault(start, new ThroughputPoint(start, 0, 0, 0, 0, Duration.ZERO)));
        }
        return points;
    }

    @Override
    public PipelineCounters counters() {
        return read("reading the pipeline counters", handle -> handle.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, tx -> {
            long[] totals = tx.createQuery("""
                            SELECT coalesce(sum(messages), 0) AS messages, coalesce(sum(stored), 0) AS stored,
                                   coalesce(sum(rejected), 0) AS rejected, coalesce(sum(duplicates), 0) AS duplicates
                            FROM stream_positions""")
                    .map((rs, ctx) -> new long[] {rs.getLong("messages"), rs.getLong("stored"), rs.getLong("rejected"),
                            rs.getLong("duplicates")})
                    .one();
            Map<StreamPartition, Long> positions = new HashMap<>();
            tx.createQuery("SELECT topic, partition, next_offset FROM stream_positions WHERE next_offset IS NOT NULL")
                    .map((rs, ctx) -> Map.entry(new StreamPartition(rs.getString("topic"), rs.getInt("partition")),
                            rs.getLong("next_offset")))
                    .forEach(entry -> positions.put(entry.getKey(), entry.getValue()));
            Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
            tx.createQuery("SELECT reason, sum(rejects) AS rejects FROM stream_reject_counts GROUP BY reason")
                    .map((rs, ctx) -> Map.entry(rs.getString("reason"), rs.getLong("rejects")))
                    .forEach(entry -> RejectReason.fromCode(entry.getKey()).ifPresentOrElse(
                            reason -> byReason.put(reason, entry.getValue()),
                            () -> log.warn("Rejects with a reason this build does not know: {} ({})", entry.getKey(), entry.getValue())));
            record Customers(long count, Optional<Instant> newest) {
            }
            Customers customers = tx.createQuery(CUSTOMERS)
                    .map((rs, ctx) -> new Customers(rs.getLong("customers"), ReadingRows.optionalInstant(rs, "newest")))
                    .one();
            long[] gaps = GapLedger.totals(tx);
            List<StreamGap> recentGaps = tx.createQuery(GapLedger.RECENT).bind("limit", PipelineCounters.RECENT_GAPS)
                    .map((rs, ctx) -> GapLedger.gap(rs)).list();
            return new PipelineCounters(totals[0], totals[1], totals[2], totals[3], customers.count(), customers.newest(),
                    byReason, positions, gaps[0], gaps[1], recentGaps);
        }));
    }

    /**
     * The cursor is a {@code pg_snapshot}: the readings written since are exactly those written by a
     * transaction that snapshot did not see and this one does (the test the summaries use, on the BRIN
     * index over {@code ingest_txid}). The new cursor is this transaction's own snapshot.
     */
    @Override
    public WrittenSince writtenSince(Optional<String> cursor) {
        return read("reading what was written since the last poll", handle -> handle.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ, tx -> {
                    String now = tx.createQuery("SELECT pg_current_snapshot()::text").mapTo(String.class).one();
                    if (cursor.isEmpty()) {
                        return new WrittenSince(List.of(), now);
                    }
                    String[] bounds = cursor.get().split(":", 3);
                    if (bounds.length != 3) {
                        throw new InvalidValueException("not a cursor of this store: " + cursor.get());
                    }
                    List<Reading> latest = tx.createQuery("""
                                    SELECT DISTINCT ON (customer_id) customer_id, recorded_at, heart_rate, activity
                                    FROM heartbeat_records
                                    WHERE ingest_txid >= :xmin
                                      AND (ingest_txid >= :xmax
                                           OR NOT pg_visible_in_snapshot(ingest_txid::text::xid8, CAST(:since AS pg_snapshot)))
                                    ORDER BY customer_id, recorded_at DESC""")
                            .bind("xmin", Long.parseLong(bounds[0]))
                            .bind("xmax", Long.parseLong(bounds[1]))
                            .bind("since", cursor.get())
                            .map((rs, ctx) -> ReadingRows.reading(rs))
                            .list();
                    return new WrittenSince(latest, now);
                }));
    }

    private static Object[] wireNames(Set<AnomalyLevel> levels) {
        return levels.stream().map(AnomalyLevel::wireName).sorted().toArray();
    }

    private static <T> Page<T> page(List<T> sortedPlusOne, int limit, Function<T, Cursor> cursorOf) {
        if (sortedPlusOne.size() <= limit) {
            return new Page<>(sortedPlusOne, Optional.empty());
        }
        List<T> items = sortedPlusOne.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.getLast())));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private <T> T read(String doing, Function<Handle, T> query) {
        try {
            return jdbi.withHandle(query::apply);
        } catch (RuntimeException e) {
            throw SqlFailures.translate(doing, e);
        }
    }
}
