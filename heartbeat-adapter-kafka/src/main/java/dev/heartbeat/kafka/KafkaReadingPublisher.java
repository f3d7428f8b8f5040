package dev.heartbeat.kafka;

import dev.heartbeat.core.PublishException;
import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.reading.Reading;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes readings to the topic of {@link KafkaSettings}: key = customer id (so a customer's readings
 * stay in one partition, in order), value = the JSON of {@link ReadingJsonCodec}. The producer is
 * idempotent with {@code acks=all} (no loss while {@code min.insync.replicas} replicas live, no
 * duplicate from its retries), batching and compressing as the settings say.
 *
 * <p>Every send's outcome is checked: a failure completes that reading's future exceptionally with a
 * {@link PublishException}, adds to {@link #failures()}, and is logged once per cause (the exception
 * type), not once per reading: an outage fails thousands of sends for one reason. Brokers refusing the
 * credentials fail each send within about a second (Kafka's reconnect back-off) with a message naming
 * the cluster and the user, never the password. Thread-safe.
 * Futures complete on the producer's network thread: stages chained on them must not block.
 */
public final class KafkaReadingPublisher implements ReadingPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReadingPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final KafkaSettings settings;
    private final String topic;
    private final Duration closeTimeout;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Map<String, LongAdder> failuresByCause = new ConcurrentHashMap<>();
    private final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();

    public KafkaReadingPublisher(KafkaSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.producer = new KafkaProducer<>(KafkaClientConfigs.producer(settings));
        this.settings = settings;
        this.topic = settings.topic();
        this.closeTimeout = settings.deliveryTimeout().plusSeconds(5);
    }

    @Override
    public CompletableFuture<Void> publish(Reading reading) {
        Objects.requireNonNull(reading, "reading");
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                reading.customerId().value().getBytes(StandardCharsets.US_ASCII), ReadingJsonCodec.encode(reading));
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.increment();
                    done.complete(null);
                } else {
                    fail(done, reading, error);
                }
            });
        } catch (RuntimeException e) {
            // send() throws for what it cannot even queue (closed producer, interrupted, buffer wait timed out)
            fail(done, reading, e);
        }
        return done;
    }

    private void fail(CompletableFuture<Void> done, Reading reading, Throwable error) {
        // refused credentials are named as such (which cluster, which user), not as a bare Kafka exception
        String why = error instanceof AuthenticationException refused
                ? CredentialsRefused.message(settings, refused) : error.toString();
        boolean first = done.completeExceptionally(new PublishException("reading of " + reading.customerId() + " at "
                + reading.recordedAt() + " was not published to " + topic + ": " + why, error));
        if (!first) {
            return;
        }
        failures.increment();
        String cause = error.getClass().getName();
        failuresByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
        if (loggedCauses.add(cause)) {
            LOG.warn("publishing to {} failed: {}. Further failures of this cause are counted, not logged"
                    + " (failures() and failuresByCause())", topic, why);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    /** Readings the brokers acknowledged. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Readings whose publish failed. */
    public long failures() {
        return failures.sum();
    }

    /** Failures so far by cause (the exception's class name), in name order. */
    public Map<String, Long> failuresByCause() {
        Map<String, Long> copy = new TreeMap<>();
        failuresByCause.forEach((cause, count) -> copy.put(cause, count.sum()));
        return copy;
    }

    /** Waits (bounded by the delivery timeout) for what is in flight, then closes the producer. */
    @Override
    public void close() {
        producer.close(closeTimeout);
        if (failures.sum() > 0) {
            LOG.warn("publisher to {} closed after {} acknowledged and {} failed readings: {}", topic,
                    acknowledged.sum(), failures.sum(), failuresByCause());
        }
    }
}
