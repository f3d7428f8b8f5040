package dev.heartbeat.core.stream;

import dev.heartbeat.core.InvalidValueException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one poll of a source returned: its records in partition order, for each partition the
 * contiguous offset range they cover, and the source's assignment generation — a number the source
 * changes whenever the set of partitions it reads changes (a rebalance, a rewind), so that state
 * kept per customer (the alert engine's) can be dropped and restored from the store.
 */
public record SourceBatch(List<SourceRecord> records, List<PartitionRange> ranges, long generation) {

    public static final SourceBatch EMPTY = new SourceBatch(List.of(), List.of(), 0);

    public SourceBatch {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
        ranges = List.copyOf(Objects.requireNonNull(ranges, "ranges"));
    }

    /** A batch of these records read in assignment {@code generation}; within a partition offsets must increase. */
    public static SourceBatch of(List<SourceRecord> records, long generation) {
        Map<StreamPartition, long[]> bounds = new LinkedHashMap<>();
        for (SourceRecord record : records) {
            long[] range = bounds.get(record.partition());
            if (range == null) {
                bounds.put(record.partition(), new long[] {record.offset(), record.offset() + 1});
            } else if (record.offset() < range[1]) {
                throw new InvalidValueException("offsets must increase within " + record.partition()
                        + ": " + record.offset() + " after " + (range[1] - 1));
            } else {
                range[1] = record.offset() + 1;
            }
        }
        List<PartitionRange> ranges = new ArrayList<>(bounds.size());
        bounds.forEach((partition, range) -> ranges.add(new PartitionRange(partition, range[0], range[1])));
        return new SourceBatch(records, ranges, generation);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }
}
