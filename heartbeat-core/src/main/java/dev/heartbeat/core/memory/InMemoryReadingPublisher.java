package dev.heartbeat.core.memory;

import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RawReading;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Publishes readings onto an {@link InMemoryBus}, keyed by customer id; every publish succeeds at once. */
public final class InMemoryReadingPublisher implements ReadingPublisher {

    private final InMemoryBus bus;

    public InMemoryReadingPublisher(InMemoryBus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    @Override
    public CompletableFuture<Void> publish(Reading reading) {
        String key = reading.customerId().value();
        bus.append(key, RawReading.of(reading), payload(reading));
        return CompletableFuture.completedFuture(null);
    }

    /** The message as it would travel on Kafka; customer ids need no JSON escaping. */
    private static byte[] payload(Reading reading) {
        return ("{\"customer_id\":\"" + reading.customerId() + "\",\"timestamp\":\"" + reading.recordedAt()
                + "\",\"heart_rate\":" + reading.heartRate() + ",\"state\":\"" + reading.activity().wireName() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
