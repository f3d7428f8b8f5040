package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RawReading;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes readings onto an {@link InMemoryBus}, keyed by customer id; every publish succeeds at once.
 * A reading travels already decoded (as the raw fields a decoder of the wire format would produce), so
 * there are no bytes to keep with a reject: the message format has one home, the Kafka adapter's codec.
 */
public final class InMemoryReadingPublisher implements ReadingPublisher {

    private final InMemoryBus bus;

    public InMemoryReadingPublisher(InMemoryBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    @Override
    public CompletableFuture<Void> publish(Reading reading) {
        String key = reading.customerId().value();
        bus.append(key, RawReading.of(reading));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
