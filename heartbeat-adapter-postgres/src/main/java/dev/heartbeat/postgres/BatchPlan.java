package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What writing a {@link StoreBatch} involves, worked out before touching the database: the readings with
 * the batch's own repeats of a natural key removed (the first one wins, the others are duplicates), the
 * days they fall on, the oldest one, and the partitions whose positions the batch moves, in lock order.
 * Counts go to the batch's first partition (rejects to their own), so that per-partition totals add up
 * to the batch; readings do not say which partition they came from.
 */
record BatchPlan(StoreBatch batch, List<Reading> uniqueReadings, int repeatsInBatch, SortedSet<LocalDate> days,
                 Optional<Instant> oldestReading, List<PartitionRange> ranges, StreamPartition lead) {

    /** Where the counts of a batch without source positions go (its position stays unknown). */
    static final StreamPartition NO_SOURCE = new StreamPartition("(no source)", 0);

    private record Key(CustomerId customer, Instant at) {
    }

    static BatchPlan of(StoreBatch batch) {
        List<Reading> unique = new ArrayList<>(batch.readings().size());
        Set<Key> seen = new HashSet<>(batch.readings().size() * 2);
        SortedSet<LocalDate> days = new TreeSet<>();
        Instant oldest = null;
        for (Reading reading : batch.readings()) {
            if (seen.add(new Key(reading.customerId(), reading.recordedAt()))) {
                unique.add(reading);
                days.add(LocalDate.ofInstant(reading.recordedAt(), ZoneOffset.UTC));
            }
            oldest = oldest == null || reading.recordedAt().isBefore(oldest) ? reading.recordedAt() : oldest;
        }
        List<PartitionRange> ranges = batch.ranges().stream()
                .sorted(Comparator.comparing(PartitionRange::partition))
                .toList();
        StreamPartition lead = ranges.isEmpty() ? NO_SOURCE : ranges.getFirst().partition();
        return new BatchPlan(batch, List.copyOf(unique), batch.readings().size() - unique.size(),
                days, Optional.ofNullable(oldest), ranges, lead);
    }

    /** The partitions whose rows the batch touches (positions and counts), sorted: the lock order. */
    List<StreamPartition> touchedPartitions() {
        SortedSet<StreamPartition> touched = new TreeSet<>();
        ranges.forEach(range -> touched.add(range.partition()));
        touched.add(lead);
        return List.copyOf(touched);
    }

    /** The partition a reject is counted under: its own if the batch covers it, else the lead. */
    StreamPartition countedUnder(RejectedMessage reject) {
        return ranges.stream().anyMatch(range -> range.partition().equals(reject.partition())) ? reject.partition() : lead;
    }

    List<RejectedMessage> rejects() {
        return batch.rejects();
    }
}
