package dev.heartbeat.core.query;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a newest-first feed; {@code next} is present when more items follow. */
public record Page<T>(List<T> items, Optional<Cursor> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
