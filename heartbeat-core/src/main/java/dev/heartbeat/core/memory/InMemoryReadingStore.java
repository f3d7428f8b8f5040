package dev.heartbeat.core.memory;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.ingest.PartitionRange;
import dev.heartbeat.core.ingest.RejectedMessage;
import dev.heartbeat.core.ingest.StoreBatch;
import dev.heartbeat.core.ingest.StreamPartition;
import dev.heartbeat.core.ingest.WriteOutcome;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A store in memory with the semantics of the PostgreSQL one: each batch is applied atomically or
 * not at all, stale batches are refused, duplicates of the natural key are counted, alert
 * transitions are applied with their batch (the store is the arbiter: a transition that does not fit
 * the alert's stored state is ignored, so a replay never duplicates an alert) and queued for
 * delivery, and every query answers what {@link ReadingQueries} and {@link AlertStore} promise. For tests, embedding and demos; it can be made
 * unavailable on purpose to exercise the pipeline's back-off.
 */
public final class InMemoryReadingStore implements ReadingStore, ReadingQueries, AlertStore, AlertOutbox {

    private static final Comparator<Reading> NEWEST_FIRST =
            Comparator.comparing(Reading::recordedAt).thenComparing(Reading::customerId).reversed();

    private final Clock clock;
    private final Map<CustomerId, NavigableMap<Instant, Reading>> readings = new TreeMap<>();
    private final List<StoredReject> rejects = new ArrayList<>();
    private final Map<StreamPartition, Long> positions = new HashMap<>();
    private final Map<RejectReason, Long> rejectsByReason = new EnumMap<>(RejectReason.class);
    private final List<BatchRecord> batchLog = new ArrayList<>();
    private final Map<String, StoredAlert> alerts = new HashMap<>();
    private final List<OutboxEntry> outbox = new ArrayList<>();
    private long stored;
    private long duplicates;
    private boolean available = true;
    private int failingWrites;

    private static final class OutboxEntry {
        final long id;
        final AlertTransition transition;
        int attempts;
        Instant nextAttemptAt = Instant.MIN;
        Instant deliveredAt;
        String lastError;

        OutboxEntry(long id, AlertTransition transition) {
            this.id = id;
            this.transition = transition;
        }
    }

    private record BatchRecord(Instant committedAt, long messages, long stored, long rejected, long duplicates,
                               Duration latency) {
    }

    public InMemoryReadingStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** While unavailable, every call throws {@link StoreUnavailableException}, like a database that is down. */
    public synchronized void setAvailable(boolean available) {
        this.available = available;
    }

    /** The next {@code count} writes fail with {@link StoreUnavailableException} and write nothing. */
    public synchronized void failNextWrites(int count) {
        this.failingWrites = count;
    }

    @Override
    public synchronized WriteOutcome write(StoreBatch batch) {
        checkAvailable();
        if (failingWrites > 0) {
            failingWrites--;
            throw new StoreUnavailableException("in-memory store: write failed on purpose");
        }
        for (PartitionRange range : batch.ranges()) {
            Long next = positions.get(range.partition());
            if (next != null && range.fromOffset() < next) {
                return new WriteOutcome.Stale(range.partition(), next, range.fromOffset());
            }
        }
        int newRows = 0;
        Instant oldest = null;
        for (Reading reading : batch.readings()) {
            NavigableMap<Instant, Reading> series = readings.computeIfAbsent(reading.customerId(), id -> new TreeMap<>());
            if (series.putIfAbsent(reading.recordedAt(), reading) == null) {
                newRows++;
            }
            oldest = oldest == null || reading.recordedAt().isBefore(oldest) ? reading.recordedAt() : oldest;
        }
        Instant now = clock.instant();
        for (RejectedMessage reject : batch.rejects()) {
            rejects.add(new StoredReject(rejects.size() + 1L, reject));
            rejectsByReason.merge(reject.reason(), 1L, Long::sum);
        }
        batch.ranges().forEach(range -> positions.put(range.partition(), range.nextOffset()));
        batch.alerts().forEach(this::apply);
        int duplicateRows = batch.readings().size() - newRows;
        stored += newRows;
        duplicates += duplicateRows;
        batchLog.add(new BatchRecord(now, batch.messageCount(), newRows, batch.rejects().size(), duplicateRows,
                oldest == null ? Duration.ZERO : Duration.between(oldest, now)));
        return new WriteOutcome.Committed(newRows, duplicateRows, batch.rejects().size());
    }

    /** Applies a transition if it fits the alert's stored state, and queues it for delivery. */
    private void apply(AlertTransition transition) {
        Alert alert = transition.alert();
        StoredAlert current = alerts.get(alert.id());
        boolean fits = switch (transition.kind()) {
            case FIRED -> current == null;
            case ESCALATED, RESOLVED -> current != null && current.alert().isOpen();
        };
        if (fits) {
            alerts.put(alert.id(), new StoredAlert(alert,
                    current == null ? Optional.empty() : current.acknowledgement()));
            outbox.add(new OutboxEntry(outbox.size() + 1L, transition));
        }
    }

    @Override
    public synchronized List<Alert> openAlerts(Collection<CustomerId> customers) {
        checkAvailable();
        Set<CustomerId> wanted = Set.copyOf(customers);
        return alerts.values().stream().map(StoredAlert::alert)
                .filter(a -> a.isOpen() && wanted.contains(a.customer()))
                .toList();
    }

    @Override
    public synchronized List<StoredAlert> active(int limit) {
        checkAvailable();
        return alerts.values().stream()
                .filter(a -> a.alert().isOpen())
                .sorted(Comparator.comparingInt((StoredAlert a) -> -a.alert().severity().severity())
                        .thenComparing((StoredAlert a) -> a.alert().firedAt(), Comparator.reverseOrder())
                        .thenComparing(a -> a.alert().id()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Page<StoredAlert> history(Optional<CustomerId> customer, TimeRange range, PageRequest page) {
        checkAvailable();
        Optional<Cursor> after = page.after();
        List<StoredAlert> sorted = alerts.values().stream()
                .filter(a -> range.contains(a.alert().firedAt()))
                .filter(a -> customer.map(a.alert().customer()::equals).orElse(true))
                .filter(a -> after.map(c -> isAfter(a.alert().firedAt(), a.alert().id(), c)).orElse(true))
                .sorted(Comparator.comparing((StoredAlert a) -> a.alert().firedAt())
                        .thenComparing(a -> a.alert().id()).reversed())
                .limit(page.limit() + 1L)
                .toList();
        return page(sorted, page.limit(), a -> new Cursor(a.alert().firedAt(), a.alert().id()));
    }

    @Override
    public synchronized Optional<StoredAlert> alert(String id) {
        checkAvailable();
        return Optional.ofNullable(alerts.get(id));
    }

    @Override
    public synchronized Optional<StoredAlert> acknowledge(String id, Acknowledgement acknowledgement) {
        checkAvailable();
        StoredAlert current = alerts.get(id);
        if (current == null) {
            return Optional.empty();
        }
        if (current.acknowledgement().isEmpty()) {
            current = new StoredAlert(current.alert(), Optional.of(acknowledgement));
            alerts.put(id, current);
        }
        return Optional.of(current);
    }

    @Override
    public synchronized List<PendingDelivery> due(Instant now, int limit) {
        checkAvailable();
        List<PendingDelivery> due = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        for (OutboxEntry entry : outbox) {
            if (entry.deliveredAt != null) {
                continue;
            }
            String alertId = entry.transition.alert().id();
            if (blocked.add(alertId) && !entry.nextAttemptAt.isAfter(now) && due.size() < limit) {
                due.add(new PendingDelivery(entry.id, entry.transition, entry.attempts));
                entry.nextAttemptAt = now.plus(CLAIM_LEASE);
            }
        }
        return due;
    }

    @Override
    public synchronized void delivered(long id, Instant at) {
        checkAvailable();
        outbox.get((int) id - 1).deliveredAt = at;
    }

    @Override
    public synchronized void failed(long id, int attempts, Instant nextAttemptAt, String error) {
        checkAvailable();
        OutboxEntry entry = outbox.get((int) id - 1);
        entry.attempts = attempts;
        entry.nextAttemptAt = nextAttemptAt;
        entry.lastError = error;
    }

    @Override
    public synchronized Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
        checkAvailable();
        Map<StreamPartition, Long> known = new HashMap<>();
        for (StreamPartition partition : partitions) {
            Long next = positions.get(partition);
            if (next != null) {
                known.put(partition, next);
            }
        }
        return known;
    }

    /** Every stored reading, by customer id and then oldest first (for tests and embedding). */
    public synchronized List<Reading> allReadings() {
        return readings.values().stream().flatMap(series -> series.values().stream()).toList();
    }

    @Override
    public synchronized LatestPage latest(LatestQuery query) {
        checkAvailable();
        String needle = query.idContains().toLowerCase(Locale.ROOT);
        List<Reading> matching = readings.values().stream()
                .map(series -> series.lastEntry().getValue())
                .filter(r -> query.levels().contains(r.level()))
                .filter(r -> r.customerId().value().toLowerCase(Locale.ROOT).contains(needle))
                .sorted(latestOrder(query))
                .toList();
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        return new LatestPage(matching.subList(from, to), matching.size());
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
    public synchronized Optional<Reading> latest(CustomerId customer) {
        checkAvailable();
        NavigableMap<Instant, Reading> series = readings.get(customer);
        return series == null ? Optional.empty() : Optional.of(series.lastEntry().getValue());
    }

    @Override
    public synchronized History history(CustomerId customer, TimeRange range, int maxPoints) {
        checkAvailable();
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
    public synchronized Optional<CustomerStats> stats(CustomerId customer, TimeRange range) {
        checkAvailable();
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

    @Override
    public synchronized BandBreakdown bands(CustomerId customer, TimeRange range) {
        checkAvailable();
        return breakdown(inRange(customer, TimeBuckets.wholeMinutes(range)));
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
    public synchronized Overview overview(TimeRange range) {
        checkAvailable();
        TimeRange minutes = TimeBuckets.wholeMinutes(range);
        long count = 0;
        long sum = 0;
        long active = 0;
        Map<AnomalyLevel, Long> byLevel = new EnumMap<>(AnomalyLevel.class);
        for (NavigableMap<Instant, Reading> series : readings.values()) {
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

    @Override
    public synchronized Page<Reading> readings(ReadingFilter filter, PageRequest page) {
        checkAvailable();
        Stream<Reading> candidates = filter.customer()
                .map(id -> inRange(id, filter.range()).stream())
                .orElseGet(() -> readings.values().stream()
                        .flatMap(series -> series.subMap(filter.range().from(), true, filter.range().to(), false).values().stream()));
        Optional<Cursor> after = page.after();
        List<Reading> sorted = candidates
                .filter(filter::matches)
                .filter(r -> after.map(c -> isAfter(r.recordedAt(), r.customerId().value(), c)).orElse(true))
                .sorted(NEWEST_FIRST)
                .limit(page.limit() + 1L)
                .toList();
        return page(sorted, page.limit(), r -> new Cursor(r.recordedAt(), r.customerId().value()));
    }

    @Override
    public synchronized Page<StoredReject> rejects(RejectFilter filter, PageRequest page) {
        checkAvailable();
        Optional<Cursor> after = page.after();
        List<StoredReject> sorted = rejects.stream()
                .filter(r -> filter.range().contains(r.message().receivedAt()))
                .filter(r -> filter.reason().map(r.message().reason()::equals).orElse(true))
                .filter(r -> after.map(c -> isAfterReject(r, c)).orElse(true))
                .sorted(Comparator.comparing((StoredReject r) -> r.message().receivedAt())
                        .thenComparingLong(StoredReject::id).reversed())
                .limit(page.limit() + 1L)
                .toList();
        return page(sorted, page.limit(), r -> new Cursor(r.message().receivedAt(), Long.toString(r.id())));
    }

    /** Whether (at, key) comes after the cursor in newest-first order. */
    private static boolean isAfter(Instant at, String key, Cursor cursor) {
        int byTime = at.compareTo(cursor.at());
        return byTime < 0 || (byTime == 0 && key.compareTo(cursor.key()) < 0);
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

    private static <T> Page<T> page(List<T> sortedPlusOne, int limit, Function<T, Cursor> cursorOf) {
        if (sortedPlusOne.size() <= limit) {
            return new Page<>(sortedPlusOne, Optional.empty());
        }
        List<T> items = sortedPlusOne.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.getLast())));
    }

    @Override
    public synchronized List<ThroughputPoint> throughput(TimeRange range, Duration bucket) {
        checkAvailable();
        if (bucket.isNegative() || bucket.isZero() || range.length().dividedBy(bucket) > 10_000) {
            throw new InvalidValueException("throughput: bucket must be > 0 and give at most 10000 buckets");
        }
        TreeMap<Instant, long[]> sums = new TreeMap<>();
        TreeMap<Instant, Duration> latency = new TreeMap<>();
        for (BatchRecord b : batchLog) {
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

    @Override
    public synchronized PipelineCounters counters() {
        checkAvailable();
        Optional<Instant> newest = readings.values().stream().map(NavigableMap::lastKey).max(Comparator.naturalOrder());
        long rejected = rejects.size();
        return new PipelineCounters(stored + rejected + duplicates, stored, rejected, duplicates, readings.size(),
                newest, rejectsByReason, positions);
    }

    private List<Reading> inRange(CustomerId customer, TimeRange range) {
        NavigableMap<Instant, Reading> series = readings.get(customer);
        if (series == null) {
            return List.of();
        }
        return new ArrayList<>(series.subMap(range.from(), true, range.to(), false).values());
    }

    private void checkAvailable() {
        if (!available) {
            throw new StoreUnavailableException("in-memory store is unavailable (made so on purpose)");
        }
    }
}
