package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.AnomalyLevel;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A page of the latest reading of each customer: only customers whose latest reading is in one of
 * {@code levels}, whose id contains {@code idContains} (case-insensitive; empty matches all),
 * sorted by {@code order}, skipping {@code offset}.
 */
public record LatestQuery(Set<AnomalyLevel> levels, String idContains, LatestOrder order, int limit, int offset) {

    public static final int MAX_LIMIT = 1000;

    public LatestQuery {
        levels = levels == null || levels.isEmpty() ? Set.copyOf(EnumSet.allOf(AnomalyLevel.class)) : Set.copyOf(levels);
        idContains = idContains == null ? "" : idContains;
        Objects.requireNonNull(order, "order");
        if (limit < 1 || limit > MAX_LIMIT || offset < 0 || idContains.length() > 50) {
            throw new InvalidValueException("latest readings: limit 1-" + MAX_LIMIT
                    + ", offset >= 0, search <= 50 characters");
        }
    }

    public static LatestQuery all(int limit) {
        return new LatestQuery(Set.of(), "", LatestOrder.CUSTOMER, limit, 0);
    }
}
