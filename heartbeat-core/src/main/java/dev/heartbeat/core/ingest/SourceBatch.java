package dev.heartbeat.core.ingest;

import dev.heartbeat.core.InvalidValueException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one poll of a source returned: its records in partition order, and for each partition the
 * contiguous offset range they cover.
 */
public record SourceBatch(List<SourceRecord> records, List<PartitionRange> ranges) {

    public static final SourceBatch EMPTY = new SourceBatch(List.of(), List.of());

    public SourceBatch {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
        ranges = List.copyOf(Objects.requireNonNull(ranges, "ranges"));
    }

    /** A batch of these records; within a partition their offsets must increase. */
    public static SourceBatch of(List<SourceRecord> records) {
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
        return new SourceBatch(records, ranges);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }
}
