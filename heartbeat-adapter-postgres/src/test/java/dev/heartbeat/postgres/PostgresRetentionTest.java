package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.LatestQuery;
import dev.heartbeat.core.query.PipelineCounters;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.heartbeat.core.port.StoreFixtures.P0;
import static dev.heartbeat.core.port.StoreFixtures.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention drops whole days older than the retention, with what the other tables hold about them, and nothing newer. */
class PostgresRetentionTest {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("retention", settings -> settings.withRetention(Duration.ofDays(30)).withPartitionsAhead(3));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void dropsWholeDaysOlderThanTheRetentionAndNothingNewer() {
        TestDatabases.truncate(database);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate keptFrom = LocalDate.ofInstant(now.minus(Duration.ofDays(30)), ZoneOffset.UTC);
        PostgresReadingStore store = new PostgresReadingStore(database);
        // "old" has readings 45 and 31 days ago only; "both" 40 days ago and 29 days ago; "new" today
        List<Reading> old45 = series("old", now.minus(Duration.ofDays(45)), 3, 70);
        List<Reading> old31 = series("old", now.minus(Duration.ofDays(31)), 3, 70);
        List<Reading> both40 = series("both", now.minus(Duration.ofDays(40)), 3, 70);
        List<Reading> both29 = series("both", now.minus(Duration.ofDays(29)), 3, 70);
        List<Reading> fresh = series("new", now.minus(Duration.ofMinutes(5)), 3, 70);
        long offset = 0;
        for (List<Reading> readings : List.of(old45, old31, both40)) {
            store.write(StoreFixtures.batch(P0, offset, readings));
            offset += readings.size();
        }
        RejectedMessage oldReject = RejectedMessage.of(P0, offset, RejectReason.MALFORMED_JSON, "x", new byte[] {1},
                now.minus(Duration.ofDays(40)));
        store.write(new StoreBatch(List.of(), List.of(oldReject), List.of(new PartitionRange(P0, offset, offset + 1))));
        offset++;
        new PostgresSummarizer(database).summarize(); // the old days are in the summaries too
        for (List<Reading> readings : List.of(both29, fresh)) {
            store.write(StoreFixtures.batch(P0, offset, readings));
            offset += readings.size();
        }
        database.jdbi().useHandle(h -> h.execute(
                "INSERT INTO ingest_batches (committed_at, messages, stored, rejected, duplicates, latency_us) VALUES (now() - interval '40 days', 1, 1, 0, 0, 0)"));
        // alerts: one resolved 40 days ago (goes, with its outbox rows), one resolved yesterday and one
        // still firing since 40 days ago (both stay)
        database.jdbi().useHandle(h -> {
            for (String[] alert : new String[][] {{"gone", "resolved", "40 days"}, {"recent", "resolved", "1 day"},
                    {"open", "firing", null}}) {
                h.createUpdate("""
                        INSERT INTO alerts (id, customer_id, rule, rule_pending_ms, rule_resolve_after_ms, severity, state,
                                            first_at, first_heart_rate, first_activity, last_at, last_heart_rate, last_activity,
                                            peak_at, peak_heart_rate, peak_activity, fired_at, resolved_at)
                        VALUES (:id, :id, 'tachycardia', 'critical_high:10000', 30000, 'critical_high', :state,
                                now() - interval '41 days', 230, 'anomaly', now() - interval '41 days', 230, 'anomaly',
                                now() - interval '41 days', 230, 'anomaly', now() - interval '41 days',
                                now() - CAST(:resolvedAgo AS interval))""")
                        .bind("id", alert[0]).bind("state", alert[1]).bind("resolvedAgo", alert[2]).execute();
                h.createUpdate("""
                        INSERT INTO alert_outbox (alert_id, kind, at, severity, state, last_at, last_heart_rate, last_activity,
                                                  peak_at, peak_heart_rate, peak_activity)
                        VALUES (:id, 'fired', now() - interval '41 days', 'critical_high', 'firing', now() - interval '41 days',
                                230, 'anomaly', now() - interval '41 days', 230, 'anomaly')""").bind("id", alert[0]).execute();
            }
            for (String[] silence : new String[][] {{"gone", "400 days"}, {"recent", "40 days"}}) {
                h.createUpdate("""
                        INSERT INTO silences (customer_id, starts_at, ends_at, reason, created_by, created_at)
                        VALUES (:customer, now() - CAST(:endedAgo AS interval) - interval '1 hour',
                                now() - CAST(:endedAgo AS interval), 'visit', 'nurse.kim', now() - interval '41 days')""")
                        .bind("customer", silence[0]).bind("endedAgo", silence[1]).execute();
            }
            h.execute("UPDATE alert_outbox SET silence_id = (SELECT id FROM silences WHERE customer_id = 'gone') WHERE alert_id = 'open'");
        });

        RetentionReport report = new PostgresRetention(database, Clock.fixed(now, ZoneOffset.UTC)).run();

        List<String> droppedDays = Stream.of(45, 40, 31).map(d -> LocalDate.ofInstant(now.minus(Duration.ofDays(d)), ZoneOffset.UTC))
                .flatMap(day -> Stream.of("heartbeat_minutes_p" + compact(day), "heartbeat_records_p" + compact(day)))
                .sorted().toList();
        assertEquals(droppedDays, report.dropped().stream().sorted().toList());
        assertEquals(keptFrom, report.keptFrom());
        assertEquals(1, report.customersRemoved(), "old: every reading gone");
        assertEquals(1, report.rejectsDeleted());
        assertEquals(1, report.batchesDeleted());
        assertEquals(1, report.alertsDeleted(), "the alert resolved 40 days ago");
        assertEquals(List.of("recent"), database.jdbi().withHandle(h -> h.createQuery("SELECT customer_id FROM silences")
                .mapTo(String.class).list()), "a silence is kept a year past the readings' cutoff: the one over 400 days ago is gone");
        assertEquals(0L, (long) database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(silence_id) FROM alert_outbox").mapTo(Long.class).one()), "what it held names none");
        assertEquals(List.of("open", "recent"), database.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM alerts ORDER BY id").mapTo(String.class).list()), "open alerts and recent ones stay");
        assertEquals(List.of("open", "recent"), database.jdbi().withHandle(h -> h.createQuery(
                "SELECT alert_id FROM alert_outbox ORDER BY alert_id").mapTo(String.class).list()), "their outbox rows too");
        List<LocalDate> days = database.jdbi().withHandle(h -> h.createQuery("SELECT heartbeat_partition_days()").mapTo(LocalDate.class).list());
        assertTrue(days.stream().noneMatch(day -> day.isBefore(keptFrom)), days.toString());
        for (int ahead = 0; ahead <= 3; ahead++) {
            assertTrue(days.contains(today.plusDays(ahead)), "created ahead: " + days);
        }

        List<Reading> kept = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records ORDER BY customer_id, recorded_at")
                .map((rs, ctx) -> ReadingRows.reading(rs)).list());
        assertEquals(Stream.concat(both29.stream(), fresh.stream()).toList(), kept, "nothing newer than the retention is touched");
        PostgresReadingQueries queries = new PostgresReadingQueries(database);
        assertEquals(List.of("both", "new"), queries.latest(LatestQuery.all(10)).readings().stream()
                .map(r -> r.customerId().value()).toList());
        Map<String, Long> summaries = database.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'minutes' AS t, count(*) AS n FROM heartbeat_minutes WHERE minute < :cutoff
                UNION ALL SELECT 'days', count(*) FROM heartbeat_days WHERE day < :day
                UNION ALL SELECT 'totals', count(*) FROM heartbeat_minute_totals WHERE minute < :cutoff""")
                .bind("cutoff", keptFrom.atStartOfDay(ZoneOffset.UTC).toInstant()).bind("day", keptFrom)
                .map((rs, ctx) -> Map.entry(rs.getString("t"), rs.getLong("n"))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(Map.of("minutes", 0L, "days", 0L, "totals", 0L), summaries);
        long keptOfBoth = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT total_readings FROM customer_stats WHERE customer_id = 'both'").mapTo(Long.class).one());
        assertEquals(3, keptOfBoth, "customer_stats covers what is kept");
        PipelineCounters counters = queries.counters();
        assertEquals(16, counters.messages(), "the counters count since the beginning");

        RetentionReport again = new PostgresRetention(database, Clock.fixed(now, ZoneOffset.UTC)).run();
        assertEquals(List.of(), again.dropped());
        assertEquals(List.of(), again.created());
        assertEquals(CustomerId.of("both"), queries.latest(CustomerId.of("both")).orElseThrow().customerId());
    }

    private static String compact(LocalDate day) {
        return day.toString().replace("-", "");
    }

    @Test
    void aClockFortyDaysAheadDropsNothingTheNewestReadingStillNeeds() {
        TestDatabases.truncate(database);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PostgresReadingStore store = new PostgresReadingStore(database);
        List<Reading> today = series("today", now.minus(Duration.ofMinutes(5)), 5, 70);
        List<Reading> lastWeek = series("last-week", now.minus(Duration.ofDays(7)), 5, 70);
        store.write(StoreFixtures.batch(P0, 0, lastWeek));
        store.write(StoreFixtures.batch(P0, 5, today));

        RetentionReport report = new PostgresRetention(database, Clock.fixed(now.plus(Duration.ofDays(40)), ZoneOffset.UTC)).run();

        assertEquals(List.of(), report.dropped(), "by the clock everything is older than 30 days; by the data nothing is");
        Instant newest = today.stream().map(Reading::recordedAt).max(Instant::compareTo).orElseThrow();
        assertEquals(LocalDate.ofInstant(newest.minus(Duration.ofDays(30)), ZoneOffset.UTC), report.keptFrom(),
                "kept from the newest reading minus the retention");
        assertEquals(0, report.customersRemoved());
        assertEquals(10L, (long) database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heartbeat_records")
                .mapTo(Long.class).one()));
    }

    @Test
    void theSkewOfThisProcesssClockIsMeasuredAgainstTheServers() {
        Instant local = Instant.now();
        Duration ahead = database.clockSkew(Clock.fixed(local.plus(Duration.ofDays(40)), ZoneOffset.UTC));
        assertTrue(ahead.minus(Duration.ofDays(40)).abs().compareTo(Duration.ofSeconds(5)) < 0, ahead.toString());
        Duration behind = database.clockSkew(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        assertTrue(behind.plus(Duration.ofMinutes(10)).abs().compareTo(Duration.ofSeconds(5)) < 0, behind.toString());
        assertTrue(database.clockSkew(Clock.systemUTC()).abs().compareTo(Duration.ofSeconds(2)) < 0, "the same machine agrees");
    }
}
