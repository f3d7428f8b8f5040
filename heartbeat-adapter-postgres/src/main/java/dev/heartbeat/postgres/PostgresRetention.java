package dev.heartbeat.postgres;

import dev.heartbeat.core.StoreUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the readings' daily partitions: creates those of the next {@code partitionsAhead} days, and drops
 * whole days once they are older than the retention (a day goes when its last instant is older), with
 * what the other tables hold about them, in one transaction (after bringing the summaries up to date). Old data leaves by DROP, never by DELETE of
 * readings. Run it at start and then daily (or hourly: a run with nothing to do costs a catalog query).
 */
public final class PostgresRetention {

    private static final Logger log = LoggerFactory.getLogger(PostgresRetention.class);

    private final Jdbi jdbi;
    private final DailyPartitions partitions;
    private final PostgresSummarizer summarizer;
    private final Duration retention;
    private final int partitionsAhead;
    private final Clock clock;

    public PostgresRetention(PostgresDatabase database, Clock clock) {
        Objects.requireNonNull(database, "database");
        this.jdbi = database.jdbi();
        this.partitions = new DailyPartitions(jdbi);
        this.summarizer = new PostgresSummarizer(database);
        this.retention = database.settings().retention();
        this.partitionsAhead = database.settings().partitionsAhead();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates the partitions ahead and drops the days older than the retention.
     *
     * @throws StoreUnavailableException when the database cannot be reached or a lock is not granted in
     *                                   time (nothing is dropped then; run it again later)
     */
    public RetentionReport run() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        try {
            List<String> created = partitions.create(today, today.plusDays(partitionsAhead));
            // decide on complete summaries: a customer whose newest reading is not summarized yet is not gone
            summarizer.summarize();
            LocalDate keptFrom = keptFrom(now);
            RetentionReport report = jdbi.inTransaction(handle -> dropBefore(handle, keptFrom, created));
            partitions.forget();
            if (report.dropped().isEmpty() && report.created().isEmpty()) {
                log.info("Retention: nothing to do; readings kept from {} (retention {})", keptFrom, retention);
            } else {
                log.info("Retention: created {}, dropped {} (readings kept from {}), removed {} customers, {} summary rows, "
                                + "{} rejects, {} batch lines and {} resolved alerts older than that", report.created(), report.dropped(),
                        keptFrom, report.customersRemoved(), report.summaryRowsDeleted(), report.rejectsDeleted(),
                        report.batchesDeleted(), report.alertsDeleted());
            }
            return report;
        } catch (RuntimeException e) {
            throw SqlFailures.translate("applying retention", e);
        }
    }

    /**
     * The first day kept: the retention back from now, but never a day the newest stored reading still needs
     * (a clock running ahead, or readings that stopped coming, must not empty the table).
     */
    private LocalDate keptFrom(Instant now) {
        LocalDate byClock = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
        Optional<Instant> newest = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT max(latest_recorded_at) FROM customers").mapTo(Instant.class).findOne());
        if (newest.isEmpty()) {
            return byClock;
        }
        LocalDate byData = LocalDate.ofInstant(newest.get().minus(retention), ZoneOffset.UTC);
        if (byData.isBefore(byClock)) {
            log.warn("Retention: the newest stored reading is from {}, so readings are kept from {} and not from {} as the "
                    + "clock ({}) says: nothing newer than the newest reading minus the retention ({}) is dropped",
                    newest.get(), byData, byClock, now, retention);
            return byData;
        }
        return byClock;
    }

    /** How long after the readings' cutoff a silence that is over is kept. */
    static final java.time.Duration SILENCES_KEPT = java.time.Duration.ofDays(365);

    private static RetentionReport dropBefore(Handle handle, LocalDate keptFrom, List<String> created) {
        // DROP needs the parent's lock for a moment: rather give up and retry than queue behind a long query
        // while every reader queues behind us
        handle.execute("SET LOCAL lock_timeout = '5s'");
        Instant cutoff = keptFrom.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<String> dropped = handle.createQuery("SELECT heartbeat_drop_partitions(:keptFrom)")
                .bind("keptFrom", keptFrom).mapTo(String.class).list();
        long summaryRows = handle.createUpdate("DELETE FROM heartbeat_days WHERE day < :keptFrom")
                .bind("keptFrom", keptFrom).execute();
        summaryRows += handle.createUpdate("DELETE FROM heartbeat_minute_totals WHERE minute < :cutoff")
                .bind("cutoff", cutoff).execute();
        // customers whose every reading is gone; the others keep their (newer) latest reading
        long customers = handle.createUpdate("DELETE FROM customers WHERE latest_recorded_at < :cutoff")
                .bind("cutoff", cutoff).execute();
        long rejects = handle.createUpdate("DELETE FROM rejected_readings WHERE received_at < :cutoff")
                .bind("cutoff", cutoff).execute();
        long batches = handle.createUpdate("DELETE FROM ingest_batches WHERE committed_at < :cutoff")
                .bind("cutoff", cutoff).execute();
        // alerts resolved before the cutoff, with their outbox rows (ON DELETE CASCADE); open ones stay
        long alerts = handle.createUpdate("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < :cutoff")
                .bind("cutoff", cutoff).execute();
        // silences over for longer than the audit trail keeps its records (a year: who muted whom, and why,
        // stays as long as the trail of it); the outbox rows they held keep their place, naming none
        handle.createUpdate("DELETE FROM silences WHERE least(ends_at, coalesce(ended_at, ends_at)) < :before")
                .bind("before", cutoff.minus(SILENCES_KEPT)).execute();
        return new RetentionReport(keptFrom, created, dropped, customers, summaryRows, rejects, batches, alerts);
    }
}
