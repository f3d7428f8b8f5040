package dev.heartbeat.core.port;

import dev.heartbeat.core.query.BandBreakdown;
import dev.heartbeat.core.query.CustomerStats;
import dev.heartbeat.core.query.History;
import dev.heartbeat.core.query.HistoryPlan;
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
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.query.WrittenSince;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard (and anyone else) may ask of the stored data. Read-only; every answer must stay
 * fast with tens of millions of readings and thousands of customers.
 */
public interface ReadingQueries {

    /** The latest reading of each customer, filtered, sorted and paged (the {@code recent_heartbeats} view). */
    LatestPage latest(LatestQuery query);

    /** One customer's latest reading. */
    Optional<Reading> latest(CustomerId customer);

    /** A customer's heart rate over {@code range}, at most about {@code maxPoints} points, drawn per {@link HistoryPlan}. */
    History history(CustomerId customer, TimeRange range, int maxPoints);

    /** A customer's statistics over {@code range}; empty when the customer has no reading in it. */
    Optional<CustomerStats> stats(CustomerId customer, TimeRange range);

    /** A customer's readings and time per band over {@code range}. */
    BandBreakdown bands(CustomerId customer, TimeRange range);

    /** The headline over {@code range} across all customers. */
    Overview overview(TimeRange range);

    /** Readings matching {@code filter}, newest first (cursor key: customer id). */
    Page<Reading> readings(ReadingFilter filter, PageRequest page);

    /** Rejects matching {@code filter}, newest first (cursor key: the reject's id). */
    Page<StoredReject> rejects(RejectFilter filter, PageRequest page);

    /** What the pipeline committed over {@code range}, in buckets of {@code bucket}, oldest first. */
    List<ThroughputPoint> throughput(TimeRange range, Duration bucket);

    /** Totals since the store was created. */
    PipelineCounters counters();

    /**
     * The latest reading of each customer among the readings stored since {@code cursor} (from an earlier
     * answer), and the cursor to ask with next; without a cursor, no readings and a cursor for now. What
     * a live feed polls: each stored reading is in exactly one answer of a chain of cursors, however many
     * are stored between two polls, and a poll costs what was stored since the last one.
     */
    WrittenSince writtenSince(Optional<String> cursor);
}
