package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.TopicBinding;
import dev.heartbeat.core.stream.WriteOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link ReadingStore} of an {@link InMemoryDatabase}: each batch is applied atomically or not at
 * all, stale batches are refused, duplicates of the natural key are counted, and alert transitions
 * are applied with their batch (the store is the arbiter: a transition that does not fit the alert's
 * stored state is ignored, so a replay never duplicates an alert) and queued in the outbox. Gaps and
 * topic ids are kept as the PostgreSQL store keeps them.
 */
public final class InMemoryReadingStore implements ReadingStore {

    private final InMemoryDatabase db;

    InMemoryReadingStore(InMemoryDatabase db) {
        this.db = db;
    }

    @Override
    public WriteOutcome write(StoreBatch batch) {
        synchronized (db) {
            for (PartitionRange range : batch.ranges()) {
                Long next = db.positions.get(range.partition());
                if (next != null && range.fromOffset() < next) {
                    return new WriteOutcome.Stale(range.partition(), next, range.fromOffset());
                }
            }
            int newRows = 0;
            Instant oldest = null;
            for (Reading reading : batch.readings()) {
                NavigableMap<Instant, Reading> series = db.readings.computeIfAbsent(reading.customerId(), id -> new TreeMap<>());
                if (series.putIfAbsent(reading.recordedAt(), reading) == null) {
                    newRows++;
                    db.written.add(reading);
                }
                oldest = oldest == null || reading.recordedAt().isBefore(oldest) ? reading.recordedAt() : oldest;
            }
            Instant now = db.clock.instant();
            for (RejectedMessage reject : batch.rejects()) {
                db.rejects.add(new StoredReject(db.rejects.size() + 1L, reject));
                db.rejectsByReason.merge(reject.reason(), 1L, Long::sum);
            }
            batch.ranges().forEach(range -> db.positions.put(range.partition(), range.nextOffset()));
            batch.alerts().forEach(this::apply);
            int duplicateRows = batch.readings().size() - newRows;
            db.stored += newRows;
            db.duplicates += duplicateRows;
            db.batchLog.add(new InMemoryDatabase.BatchRecord(now, batch.messageCount(), newRows, batch.rejects().size(),
                    duplicateRows, oldest == null ? Duration.ZERO : Duration.between(oldest, now)));
            return new WriteOutcome.Committed(newRows, duplicateRows, batch.rejects().size());
        }
    }

    /** Applies a transition if it fits the alert's stored state, and queues it for delivery. */
    private void apply(AlertTransition transition) {
        Alert alert = transition.alert();
        StoredAlert current = db.alertsById.get(alert.id());
        boolean fits = switch (transition.kind()) {
            case FIRED -> current == null;
            case ESCALATED, RESOLVED -> current != null && current.alert().isOpen();
            case UNACKNOWLEDGED, REPEATED -> false; // the outbox's reminders, never a batch's
        };
        if (fits) {
            if (transition.kind() == AlertTransition.Kind.FIRED) {
                db.notices.put(alert.id(), new InMemoryDatabase.Notice(db.clock.instant()));
            } else {
                db.notices.computeIfAbsent(alert.id(), id -> new InMemoryDatabase.Notice(db.clock.instant()))
                        .notifiedAt = db.clock.instant();
            }
            db.alertsById.put(alert.id(), new StoredAlert(alert,
                    current == null ? Optional.empty() : current.acknowledgement(), db.notices.get(alert.id()).level));
            db.outboxEntries.add(new InMemoryDatabase.OutboxEntry(db.outboxEntries.size() + 1L, transition));
        }
    }

    @Override
    public Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
        synchronized (db) {
            Map<StreamPartition, Long> known = new HashMap<>();
            for (StreamPartition partition : partitions) {
                Long next = db.positions.get(partition);
                if (next != null) {
                    known.put(partition, next);
                }
            }
            return known;
        }
    }

    @Override
    public boolean skip(StreamGap gap) {
        synchronized (db) {
            Long next = db.positions.get(gap.partition());
            if (next != null && next != gap.fromOffset()) {
                return false;
            }
            db.gaps.add(gap);
            db.positions.put(gap.partition(), gap.toOffset());
            return true;
        }
    }

    @Override
    public TopicBinding bindTopic(String topic, String topicId, boolean replace, Instant now) {
        synchronized (db) {
            String stored = db.topicIds.get(topic);
            if (stored == null || stored.equals(topicId)) {
                db.topicIds.put(topic, topicId);
                return new TopicBinding.Bound(topicId);
            }
            if (!replace) {
                return new TopicBinding.Mismatch(stored, topicId);
            }
            List<StreamGap> gaps = new ArrayList<>();
            for (Map.Entry<StreamPartition, Long> position : new TreeMap<>(db.positions).entrySet()) {
                if (position.getKey().topic().equals(topic)) {
                    gaps.add(new StreamGap(position.getKey(), position.getValue(), position.getValue(), now,
                            StreamGap.Reason.TOPIC_REPLACED, TopicBinding.replacedDetail(stored, topicId)));
                    db.positions.remove(position.getKey());
                }
            }
            db.gaps.addAll(gaps);
            db.topicIds.put(topic, topicId);
            return new TopicBinding.Replaced(stored, topicId, gaps);
        }
    }
}
