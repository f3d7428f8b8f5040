package dev.heartbeat.core.stream;

import dev.heartbeat.core.InvalidValueException;

import java.util.Comparator;
import java.util.Objects;

/** One partition of a topic: the unit of order, of parallelism and of stored positions. */
public record StreamPartition(String topic, int partition) implements Comparable<StreamPartition> {

    private static final Comparator<StreamPartition> ORDER =
            Comparator.comparing(StreamPartition::topic).thenComparingInt(StreamPartition::partition);

    public StreamPartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank() || partition < 0) {
            throw new InvalidValueException("a partition needs a topic name and a number >= 0, got "
                    + topic + "/" + partition);
        }
    }

    @Override
    public int compareTo(StreamPartition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
