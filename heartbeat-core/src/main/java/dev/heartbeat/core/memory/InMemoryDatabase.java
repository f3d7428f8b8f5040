package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The in-memory counterpart of the PostgreSQL database: one set of tables (readings, rejects,
 * positions with their topic ids and gaps, the batch log, alerts and their outbox) and one adapter per port over them, with the
 * semantics of the PostgreSQL adapters: {@link #store()} writes each batch atomically or not at all,
 * {@link #queries()} answers what the dashboard asks, {@link #alerts()} keeps and acknowledges the
 * alerts, {@link #outbox()} hands their transitions to the dispatcher. Every adapter locks the
 * database for each call, so they may be used from any thread. For tests, embedding and demos.
 */
public final class InMemoryDatabase {

    final Clock clock;
    final Map<CustomerId, NavigableMap<Instant, Reading>> readings = new TreeMap<>();
    final List<StoredReject> rejects = new ArrayList<>();
    final Map<StreamPartition, Long> positions = new HashMap<>();
    final Map<String, String> topicIds = new HashMap<>();
    final List<StreamGap> gaps = new ArrayList<>();
    /** Every stored reading in the order it was stored: what the live feed's cursor counts. */
    final List<Reading> written = new ArrayList<>();
    final Map<RejectReason, Long> rejectsByReason = new EnumMap<>(RejectReason.class);
    final List<BatchRecord> batchLog = new ArrayList<>();
    final Map<String, StoredAlert> alertsById = new HashMap<>();
    final List<OutboxEntry> outboxEntries = new ArrayList<>();
    /** Per alert: when it was raised and last sent, and its escalation level (the reminders' state). */
    final Map<String, Notice> notices = new HashMap<>();
    /** The silences, by id (ids from 1). */
    final List<Silence> silences = new ArrayList<>();
    long stored;
    long duplicates;

    private final InMemoryReadingStore store = new InMemoryReadingStore(this);
    private final InMemoryReadingQueries queries = new InMemoryReadingQueries(this);
    private final InMemoryAlertStore alerts = new InMemoryAlertStore(this);
    private final InMemoryAlertOutbox outbox = new InMemoryAlertOutbox(this);
    private final InMemorySilenceStore silenceStore = new InMemorySilenceStore(this);

    /** One committed batch, for the pipeline's throughput. */
    record BatchRecord(Instant committedAt, long messages, long stored, long rejected, long duplicates,
                       Duration latency) {
    }

    /** When an alert was raised and last sent, by the store's clock, and how often nobody acknowledged it. */
    static final class Notice {
        final Instant raisedAt;
        Instant notifiedAt;
        int level;

        Notice(Instant raisedAt) {
            this.raisedAt = raisedAt;
            this.notifiedAt = raisedAt;
        }
    }

    /** One alert transition waiting for (or past) delivery. */
    static final class OutboxEntry {
        final long id;
        final AlertTransition transition;
        int attempts;
        Instant nextAttemptAt = Instant.MIN;
        Instant deliveredAt;
        String lastError;
        /** The silence that held it back, if one did. */
        Long silenceId;
        /** Held back by that silence, until released. */
        boolean held;
        /** Dropped without being delivered ({@code deliveredAt} is when). */
        boolean skipped;

        OutboxEntry(long id, AlertTransition transition) {
            this.id = id;
            this.transition = transition;
        }
    }

    /** An empty database; {@code clock} stamps commits (the batch log behind the throughput query). */
    public InMemoryDatabase(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ReadingStore store() {
        return store;
    }

    public ReadingQueries queries() {
        return queries;
    }

    public AlertStore alerts() {
        return alerts;
    }

    public AlertOutbox outbox() {
        return outbox;
    }

    public SilenceStore silences() {
        return silenceStore;
    }

    /** Every stored reading, by customer id and then oldest first. */
    public synchronized List<Reading> allReadings() {
        return readings.values().stream().flatMap(series -> series.values().stream()).toList();
    }
}
