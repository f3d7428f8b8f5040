package dev.heartbeat.core.query;

import dev.heartbeat.core.reading.CustomerId;

import java.util.List;
import java.util.Objects;

/** A customer's heart rate over a range, drawn as {@code plan} says, oldest point first. */
public record History(CustomerId customer, TimeRange range, HistoryPlan plan, List<HistoryPoint> points) {

    public History {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(plan, "plan");
        points = List.copyOf(points);
    }
}
