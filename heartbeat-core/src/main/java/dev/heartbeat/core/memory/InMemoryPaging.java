package dev.heartbeat.core.memory;

import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Keyset paging over sorted lists, newest first, as the PostgreSQL queries page. */
final class InMemoryPaging {

    private InMemoryPaging() {
    }

    /** Whether (at, key) comes after the cursor in newest-first order. */
    static boolean isAfter(Instant at, String key, Cursor cursor) {
        int byTime = at.compareTo(cursor.at());
        return byTime < 0 || (byTime == 0 && key.compareTo(cursor.key()) < 0);
    }

    /** The first {@code limit} items, with a cursor after the last one when {@code sortedPlusOne} had more. */
    static <T> Page<T> page(List<T> sortedPlusOne, int limit, Function<T, Cursor> cursorOf) {
        if (sortedPlusOne.size() <= limit) {
            return new Page<>(sortedPlusOne, Optional.empty());
        }
        List<T> items = sortedPlusOne.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.getLast())));
    }
}
