package dev.heartbeat.core.ingest;

import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ingest use case for one batch: validate every message, classify the valid ones (a
 * {@link Reading} knows its level), and hand readings, rejects and the batch's positions to the
 * store in one call. For every committed batch {@code stored + duplicates + rejected = messages}.
 */
public final class Ingest {

    private final ReadingValidator validator;
    private final ReadingStore store;
    private final Clock clock;

    public Ingest(ReadingValidator validator, ReadingStore store, Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What the batch will write: never throws on any message. */
    public StoreBatch prepare(SourceBatch batch) {
        List<Reading> readings = new ArrayList<>(batch.size());
        List<RejectedMessage> rejects = new ArrayList<>();
        Instant receivedAt = null;
        for (SourceRecord record : batch.records()) {
            switch (validator.validate(record.message())) {
                case ValidationResult.Valid valid -> readings.add(valid.reading());
                case ValidationResult.Invalid invalid -> {
                    receivedAt = receivedAt == null ? clock.instant() : receivedAt;
                    rejects.add(RejectedMessage.of(record.partition(), record.offset(), invalid.reason(),
                            invalid.detail(), record.payload(), receivedAt));
                }
            }
        }
        return new StoreBatch(readings, rejects, batch.ranges());
    }

    /** Writes a prepared batch; throws {@link dev.heartbeat.core.StoreUnavailableException} if it cannot. */
    public WriteOutcome write(StoreBatch batch) {
        return store.write(batch);
    }

    /** {@link #prepare} then {@link #write}. */
    public WriteOutcome ingest(SourceBatch batch) {
        return write(prepare(batch));
    }

    public ReadingStore store() {
        return store;
    }
}
