package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;

import java.util.Objects;
import java.util.Optional;

/** At most {@code limit} items, newest first, starting after {@code after} (or from the newest). */
public record PageRequest(int limit, Optional<Cursor> after) {

    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidValueException("a page holds 1-" + MAX_LIMIT + " items, got " + limit);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }
}
