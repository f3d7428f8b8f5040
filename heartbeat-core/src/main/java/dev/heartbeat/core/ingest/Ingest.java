package dev.heartbeat.core.ingest;

import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.SourceBatch;
import dev.heartbeat.core.stream.SourceRecord;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertHistory;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ingest use case for one batch: validate every message, classify the valid ones (a
 * {@link Reading} knows its level), evaluate alerts, and hand readings, rejects, the batch's
 * positions and the alert transitions to the store in one call. For every committed batch
 * {@code stored + duplicates + rejected = messages}.
 *
 * <p>With alerting, the engine's state follows the source: when the batch's assignment generation
 * changes (a rebalance) or a batch is refused as stale, the engine forgets everything, and each
 * customer's state is rebuilt from the {@link AlertStore} before its next reading is evaluated: its open
 * alerts, and its stored readings of the engine's {@linkplain AlertEngine#memory() memory} replayed, so
 * that pending periods and resolve countdowns go on where they were.
 *
 * <p>Every reject is stored and counted, but only a budget of their payloads per reason and minute
 * ({@link RejectPayloadBudget}): garbage cannot fill the disk.
 */
public final class Ingest {

    private final ReadingValidator validator;
    private final ReadingStore store;
    private final Clock clock;
    private final AlertEngine alertEngine;
    private final AlertStore alertStore;
    private final RejectPayloadBudget payloads = new RejectPayloadBudget();
    private long generation = Long.MIN_VALUE;

    public Ingest(ReadingValidator validator, ReadingStore store, Clock clock) {
        this(validator, store, clock, null, null);
    }

    private Ingest(ReadingValidator validator, ReadingStore store, Clock clock, AlertEngine alertEngine,
                   AlertStore alertStore) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alertEngine = alertEngine;
        this.alertStore = alertStore;
    }

    /** The same use case, also raising alerts with {@code engine}, restoring open ones from {@code alerts}. */
    public Ingest withAlerts(AlertEngine engine, AlertStore alerts) {
        return new Ingest(validator, store, clock, Objects.requireNonNull(engine, "engine"),
                Objects.requireNonNull(alerts, "alerts"));
    }

    /**
     * What the batch will write. Never throws on any message; with alerting it may throw
     * {@link dev.heartbeat.core.StoreUnavailableException} while restoring open alerts, before the
     * engine has seen the batch, so calling it again is safe.
     */
    public StoreBatch prepare(SourceBatch batch) {
        List<Reading> readings = new ArrayList<>(batch.size());
        List<RejectedMessage> rejects = new ArrayList<>();
        Instant receivedAt = null;
        for (SourceRecord record : batch.records()) {
            switch (validator.validate(record.message())) {
                case ValidationResult.Valid valid -> readings.add(valid.reading());
                case ValidationResult.Invalid invalid -> {
                    receivedAt = receivedAt == null ? clock.instant() : receivedAt;
                    rejects.add(payloads.apply(RejectedMessage.of(record.partition(), record.offset(), invalid.reason(),
                            invalid.detail(), record.payload(), record.payloadSize(), receivedAt), receivedAt));
                }
            }
        }
        return new StoreBatch(readings, rejects, batch.ranges(), alerts(batch.generation(), readings));
    }

    private List<AlertTransition> alerts(long batchGeneration, List<Reading> readings) {
        if (alertEngine == null) {
            return List.of();
        }
        if (batchGeneration != generation) {
            alertEngine.reset();
            generation = batchGeneration;
        }
        Set<CustomerId> unknown = new LinkedHashSet<>();
        Instant earliest = null;
        for (Reading reading : readings) {
            if (!alertEngine.knows(reading.customerId())) {
                unknown.add(reading.customerId());
                earliest = earliest == null || reading.recordedAt().isBefore(earliest) ? reading.recordedAt() : earliest;
            }
        }
        if (!unknown.isEmpty()) {
            restore(unknown, earliest.minus(alertEngine.memory()));
        }
        return alertEngine.accept(readings);
    }

    /**
     * Rebuilds the engine's state of customers it does not know from the store: their open alerts, and
     * their readings (and resolutions) of the engine's memory before this batch, so that a pending period
     * that began before a restart or rebalance ends when it would have.
     */
    private void restore(Collection<CustomerId> customers, Instant since) {
        AlertHistory history = alertStore.recent(customers, since);
        Map<CustomerId, List<Alert>> open = history.open().stream().collect(Collectors.groupingBy(Alert::customer));
        Map<CustomerId, List<Alert>> resolved = history.resolved().stream().collect(Collectors.groupingBy(Alert::customer));
        Map<CustomerId, List<Reading>> readings = history.readings().stream()
                .collect(Collectors.groupingBy(Reading::customerId));
        for (CustomerId customer : customers) {
            alertEngine.restore(customer, new AlertHistory(open.getOrDefault(customer, List.of()),
                    resolved.getOrDefault(customer, List.of()), readings.getOrDefault(customer, List.of())));
        }
    }

    /** Writes a prepared batch; throws {@link dev.heartbeat.core.StoreUnavailableException} if it cannot. */
    public WriteOutcome write(StoreBatch batch) {
        return store.write(batch);
    }

    /**
     * A prepared batch will not be written (it was stale, or abandoned): per-customer state that saw
     * it is dropped, to be restored from the store.
     */
    public void discarded() {
        if (alertEngine != null) {
            alertEngine.reset();
        }
    }

    /** {@link #prepare} then {@link #write}. */
    public WriteOutcome ingest(SourceBatch batch) {
        return write(prepare(batch));
    }

    public ReadingStore store() {
        return store;
    }
}
