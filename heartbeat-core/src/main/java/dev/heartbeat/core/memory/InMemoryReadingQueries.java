package dev.heartbeat.core.memory;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPlan;
import dev.heartbeat.core.query.HistoryPoint;
import dev.heartbeat.core.query.LatestPage;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.Overview;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.query.WrittenSince;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.query.ReadingFilter;
import dev.heartbeat.core.query.RejectFilter;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.ThroughputPoint;
import dev.heartbeat.core.query.TimeBuckets;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The {@link ReadingQueries} of an {@link InMemoryDatabase}: every answer the PostgreSQL queries give. */
public final class InMemoryReadingQueries implements ReadingQueries {

    private static final Comparator<Reading> NEWEST_FIRST =
            Comparator.comparing(Reading::recordedAt).thenComparing(Reading::customerId).reversed();

    private final InMemoryDatabase db;

    InMemoryReadingQueries(InMemoryDatabase db) {
        this.db = db;
    }

    @Override
    public LatestPage latest(LatestQuery query) {
        synchronized (db) {
            String needle = query.idContains().toLowerCase(Locale.ROOT);
            List<Reading> matching = db.readings.values().stream()
                    .map(series -> series.lastEntry().getValue())
                    .filter(r -> query.levels().contains(r.level()))
                    .filter(r -> r.customerId().value().toLowerCase(Locale.ROOT).contains(needle))
                    .sorted(latestOrder(query))
                    .toList();
            int from = Math.min(query.offset(), matching.size());
            int to = Math.min(from + query.limit(), matching.size());
            return new LatestPage(matching.subList(from, to), matching.size());
        }
    }

    private static Comparator<Reading> latestOrder(LatestQuery query) {
        Comparator<Reading> byId = Comparator.comparing(Reading::customerId);
        return switch (query.order()) {
            case CUSTOMER -> byId;
            case SEVERITY -> Comparator.comparingInt((Reading r) -> -r.level().severity())
                    .thenComparingInt(r -> -AnomalyLevel.distanceFromNormal(r.heartRate())).thenComparing(byId);
            case HEART_RATE_DESC -> Comparator.comparingInt((Reading r) -> -r.heartRate()).thenComparing(byId);
            case HEART_RATE_ASC -> Comparator.comparingInt(Reading::heartRate).thenComparing(byId);
            case RECENT -> Comparator.comparing(Reading::recordedAt).reversed().thenComparing(byId);
        };
    }

    @Override
    public Optional<Reading> latest(CustomerId customer) {
        synchronized (db) {
            NavigableMap<Instant, Reading> series = db.readings.get(customer);
            return series == null ? Optional.empty() : Optional.of(series.lastEntry().getValue());
        }
    }

    @Override
    public History history(CustomerId customer, TimeRange range, int maxPoints) {
        synchronized (db) {
            HistoryPlan plan = HistoryPlan.of(range, maxPoints);
            List<HistoryPoint> points = new ArrayList<>();
            switch (plan.source()) {
                case RAW -> inRange(customer, range).forEach(r ->
                        points.add(new HistoryPoint(r.recordedAt(), r.heartRate(), r.heartRate(), r.heartRate(), 1)));
                case RAW_BUCKETS -> points.addAll(buckets(inRange(customer, range), plan.bucket()));
                case MINUTE_ROLLUPS -> points.addAll(buckets(inRange(customer, TimeBuckets.wholeMinutes(range)), plan.bucket()));
            }
            return new History(customer, range, plan, points);
        }
    }

    private static List<HistoryPoint> buckets(List<Reading> readings, Duration bucket) {
        TreeMap<Instant, List<Reading>> byBucket = new TreeMap<>();
        for (Reading reading : readings) {
            byBucket.computeIfAbsent(TimeBuckets.floor(reading.recordedAt(), bucket), b -> new ArrayList<>()).add(reading);
        }
        List<HistoryPoint> points = new ArrayList<>(byBucket.size());
        byBucket.forEach((start, members) -> {
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            long sum = 0;
            for (Reading r : members) {
                min = Math.min(min, r.heartRate());
                max = Math.max(max, r.heartRate());
                sum += r.heartRate();
            }
            points.add(new HistoryPoint(start, min, max, (double) sum / members.size(), members.size()));
        });
        return points;
    }

    @Override
    public Optional<CustomerStats> stats(CustomerId customer, TimeRange range) {
        synchronized (db) {
            List<Reading> rows = inRange(customer, range);
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            long sum = 0;
            long squares = 0;
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            long critical = 0;
            for (Reading r : rows) {
                sum += r.heartRate();
                squares += (long) r.heartRate() * r.heartRate();
                min = Math.min(min, r.heartRate());
                max = Math.max(max, r.heartRate());
                critical += r.level().isCritical() ? 1 : 0;
            }
            long n = rows.size();
            double avg = (double) sum / n;
            double variance = Math.max(0, (double) squares / n - avg * avg);
            return Optional.of(new CustomerStats(customer, n, avg, min, max, Math.sqrt(variance), critical, rows.getLast()));
        }
    }

    @Override
    public BandBreakdown bands(CustomerId customer, TimeRange range) {
        synchronized (db) {
            return breakdown(inRange(customer, TimeBuckets.wholeMinutes(range)));
        }
    }

    private static BandBreakdown breakdown(List<Reading> rows) {
        Map<AnomalyLevel, Long> counts = new EnumMap<>(AnomalyLevel.class);
        Map<AnomalyLevel, Duration> time = new EnumMap<>(AnomalyLevel.class);
        Map<Instant, List<Reading>> byMinute = new TreeMap<>();
        for (Reading r : rows) {
            counts.merge(r.level(), 1L, Long::sum);
            byMinute.computeIfAbsent(r.recordedAt().truncatedTo(ChronoUnit.MINUTES), m -> new ArrayList<>()).add(r);
        }
        byMinute.values().forEach(minute -> {
            Map<AnomalyLevel, Long> inMinute = new EnumMap<>(AnomalyLevel.class);
            minute.forEach(r -> inMinute.merge(r.level(), 1L, Long::sum));
            inMinute.forEach((level, count) ->
                    time.merge(level, BandBreakdown.minuteShare(count, minute.size()), Duration::plus));
        });
        return new BandBreakdown(counts, time);
    }

    @Override
    public Overview overview(TimeRange range) {
        synchronized (db) {
            TimeRange minutes = TimeBuckets.wholeMinutes(range);
            long count = 0;
            long sum = 0;
            long active = 0;
            Map<AnomalyLevel, Long> byLevel = new EnumMap<>(AnomalyLevel.class);
            for (NavigableMap<Instant, Reading> series : db.readings.values()) {
                if (!series.lastKey().isBefore(range.from())) {
                    active++;
                }
                for (Reading r : series.subMap(minutes.from(), true, minutes.to(), false).values()) {
                    count++;
                    sum += r.heartRate();
                    byLevel.merge(r.level(), 1L, Long::sum);
                }
            }
            return new Overview(range, count, active, count == 0 ? 0 : (double) sum / count, byLevel);
        }
    }

    @Override
    public Page<Reading> readings(ReadingFilter filter, PageRequest page) {
        synchronized (db) {
            Stream<Reading> candidates = filter.customer()
                    .map(id -> inRange(id, filter.range()).stream())
                    .orElseGet(() -> db.readings.values().stream()
                            .flatMap(series -> series.subMap(filter.range().from(), true, filter.range().to(), false).values().stream()));
            Optional<Cursor> after = page.after();
            List<Reading> sorted = candidates
                    .filter(filter::matches)
                    .filter(r -> after.map(c -> InMemoryPaging.isAfter(r.recordedAt(), r.customerId().value(), c)).orElse(true))
                    .sorted(NEWEST_FIRST)
                    .limit(page.limit() + 1L)
                    .toList();
            return InMemoryPaging.page(sorted, page.limit(), r -> new Cursor(r.recordedAt(), r.customerId().value()));
        }
    }

    @Override
    public Page<StoredReject> rejects(RejectFilter filter, PageRequest page) {
        synchronized (db) {
            Optional<Cursor> after = page.after();
            List<StoredReject> sorted = db.rejects.stream()
                    .filter(r -> filter.range().contains(r.message().receivedAt()))
                    .filter(r -> filter.reason().map(r.message().reason()::equals).orElse(true))
                    .filter(r -> after.map(c -> isAfterReject(r, c)).orElse(true))
                    .sorted(Comparator.comparing((StoredReject r) -> r.message().receivedAt())
                            .thenComparingLong(StoredReject::id).reversed())
                    .limit(page.limit() + 1L)
                    .toList();
            return InMemoryPaging.page(sorted, page.limit(), r -> new Cursor(r.message().receivedAt(), Long.toString(r.id())));
        }
    }

    private static boolean isAfterReject(StoredReject reject, Cursor cursor) {
        long cursorId;
        try {
            cursorId = Long.parseLong(cursor.key());
        } catch (NumberFormatException e) {
            throw new InvalidValueException("not a reject cursor: " + cursor.key());
        }
        int byTime = reject.message().receivedAt().compareTo(cursor.at());
        return byTime < 0 || (byTime == 0 && reject.id() < cursorId);
    }

    @Override
    public List<ThroughputPoint> throughput(TimeRange range, Duration bucket) {
        synchronized (db) {
            if (bucket.isNegative() || bucket.isZero() || range.length().dividedBy(bucket) > 10_000) {
                throw new InvalidValueException("throughput: bucket must be > 0 and give at most 10000 buckets");
            }
            TreeMap<Instant, long[]> sums = new TreeMap<>();
            TreeMap<Instant, Duration> latency = new TreeMap<>();
            for (InMemoryDatabase.BatchRecord b : db.batchLog) {
                if (range.contains(b.committedAt())) {
                    Instant start = TimeBuckets.floor(b.committedAt(), bucket);
                    long[] s = sums.computeIfAbsent(start, k -> new long[4]);
                    s[0] += b.messages();
                    s[1] += b.stored();
                    s[2] += b.rejected();
                    s[3] += b.duplicates();
                    latency.merge(start, b.latency(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
                }
            }
            List<ThroughputPoint> points = new ArrayList<>();
            for (Instant at = TimeBuckets.floor(range.from(), bucket); at.isBefore(range.to()); at = at.plus(bucket)) {
                long[] s = sums.getOrDefault(at, new long[4]);
                points.add(new ThroughputPoint(at, s[0], s[1], s[2], s[3], latency.getOrDefault(at, Duration.ZERO)));
            }
            return points;
        }
    }

    @Override
    public PipelineCounters counters() {
        synchronized (db) {
            Optional<Instant> newest = db.readings.values().stream().map(NavigableMap::lastKey).max(Comparator.naturalOrder());
            long rejected = db.rejects.size();
            return new PipelineCounters(db.stored + rejected + db.duplicates, db.stored, rejected, db.duplicates, db.readings.size(),
                    newest, db.rejectsByReason, db.positions, db.gaps.size(),
                    db.gaps.stream().mapToLong(StreamGap::messages).sum(),
                    db.gaps.reversed().stream().limit(PipelineCounters.RECENT_GAPS).toList());
        }
    }

    @Override
    public WrittenSince writtenSince(Optional<String> cursor) {
        synchronized (db) {
            int end = db.written.size();
            if (cursor.isEmpty()) {
                return new WrittenSince(List.of(), Integer.toString(end));
            }
            int from;
            try {
                from = Integer.parseInt(cursor.get());
            } catch (NumberFormatException e) {
                throw new InvalidValueException("not a cursor of this store: " + cursor.get());
            }
            Map<CustomerId, Reading> latest = new LinkedHashMap<>();
            for (Reading reading : db.written.subList(Math.min(from, end), end)) {
                latest.merge(reading.customerId(), reading, (a, b) -> b.recordedAt().isAfter(a.recordedAt()) ? b : a);
            }
            return new WrittenSince(List.copyOf(latest.values()), Integer.toString(end));
        }
    }

    private List<Reading> inRange(CustomerId customer, TimeRange range) {
        NavigableMap<Instant, Reading> series = db.readings.get(customer);
        if (series == null) {
            return List.of();
        }
        return new ArrayList<>(series.subMap(range.from(), true, range.to(), false).values());
    }
}
