package dev.heartbeat.core.stream;

import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.reading.Reading;

import java.util.List;
import java.util.Objects;

/**
 * Everything one source batch produces, handed to the store in ONE call to be made durable in one
 * transaction: the valid readings, the rejects, the source positions they account for, and the
 * alert transitions the readings caused.
 */
public record StoreBatch(List<Reading> readings, List<RejectedMessage> rejects, List<PartitionRange> ranges,
                         List<AlertTransition> alerts) {

    public StoreBatch {
        readings = List.copyOf(Objects.requireNonNull(readings, "readings"));
        rejects = List.copyOf(Objects.requireNonNull(rejects, "rejects"));
        ranges = List.copyOf(Objects.requireNonNull(ranges, "ranges"));
        alerts = List.copyOf(Objects.requireNonNull(alerts, "alerts"));
    }

    /** A batch without alert transitions. */
    public StoreBatch(List<Reading> readings, List<RejectedMessage> rejects, List<PartitionRange> ranges) {
        this(readings, rejects, ranges, List.of());
    }

    /** Number of source messages this batch accounts for. */
    public int messageCount() {
        return readings.size() + rejects.size();
    }
}
