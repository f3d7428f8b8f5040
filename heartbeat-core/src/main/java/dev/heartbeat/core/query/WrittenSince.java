package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.Reading;

import java.util.List;
import java.util.Objects;

/**
 * What was written since a cursor: the latest reading of each customer among the readings stored since,
 * and the cursor to ask with next. The cursor is the store's own (opaque to everyone else).
 */
public record WrittenSince(List<Reading> latest, String cursor) {

    public WrittenSince {
        latest = List.copyOf(latest);
        Objects.requireNonNull(cursor, "cursor");
    }
}
