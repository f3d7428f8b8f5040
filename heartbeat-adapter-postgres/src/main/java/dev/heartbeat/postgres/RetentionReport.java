package dev.heartbeat.postgres;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What one retention run did: the partitions it created ahead, those it dropped (every day before
 * {@code keptFrom}), and the rows it deleted from the tables that are not partitioned.
 */
public record RetentionReport(LocalDate keptFrom, List<String> created, List<String> dropped, long customersRemoved,
                              long summaryRowsDeleted, long rejectsDeleted, long batchesDeleted, long alertsDeleted) {

    public RetentionReport {
        Objects.requireNonNull(keptFrom, "keptFrom");
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
    }
}
