package dev.heartbeat.core.port;

import dev.heartbeat.core.reading.Reading;

import java.util.concurrent.CompletableFuture;

/**
 * Sends readings towards the pipeline (Kafka in production), keyed by customer so that each
 * customer's readings keep their order.
 */
public interface ReadingPublisher extends AutoCloseable {

    /**
     * Sends one reading. The future completes when the reading is durably accepted, or completes
     * exceptionally with a {@link dev.heartbeat.core.PublishException} when it is not: a failure is
     * never silent.
     */
    CompletableFuture<Void> publish(Reading reading);

    /** Blocks until every reading published so far has completed, successfully or not. */
    void flush();

    @Override
    void close();
}
