package dev.heartbeat.app.it;

import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes simulated readings (and a bad message now and then) to the test broker at a steady rate
 * on its own thread, remembering exactly what it published, for exactly-once checks.
 */
final class Publishing implements AutoCloseable {

    final Set<Reading> readings = Collections.synchronizedSet(new HashSet<>());
    final AtomicLong poison = new AtomicLong();
    private final KafkaSettings settings;
    private final int customers;
    private final int perSecond;
    private volatile boolean running = true;
    private Thread thread;
    private Throwable failure;

    Publishing(KafkaSettings settings, int customers, int perSecond) {
        this.settings = settings;
        this.customers = customers;
        this.perSecond = perSecond;
    }

    Publishing start(Duration duration) {
        thread = Thread.ofPlatform().name("test-publisher").start(() -> {
            try {
                publish(duration);
            } catch (Throwable e) {
                failure = e;
            }
        });
        return this;
    }

    private void publish(Duration duration) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SimulationSettings simulation = SimulationSettings.of(customers, start)
                .withInterval(Duration.ofNanos(1_000_000_000L * customers / perSecond));
        Simulator simulator = new Simulator(simulation, new SplittableRandom(7));
        long deadline = System.nanoTime() + duration.toNanos();
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(settings);
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", settings.bootstrapServers(),
                     "acks", "all", "enable.idempotence", "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            long tick = 0;
            while (running && System.nanoTime() < deadline) {
                Instant due = simulator.nextTickAt();
                long wait = Duration.between(Instant.now(), due).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                for (SimulatedReading r : simulator.nextTick()) {
                    pending.add(publisher.publish(r.reading()));
                    readings.add(r.reading());
                }
                if (tick++ % 5 == 0) {
                    raw.send(new ProducerRecord<>(settings.topic(), "poison".getBytes(StandardCharsets.UTF_8),
                            "{\"customer_id\":\"poison\",\"heart_rate\":".getBytes(StandardCharsets.UTF_8))).get();
                    poison.incrementAndGet();
                }
                if (pending.size() > 5_000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            publisher.flush();
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
    }

    /** Everything published and acknowledged: readings plus bad messages. */
    long published() {
        return readings.size() + poison.get();
    }

    void awaitDone() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new AssertionError("publishing failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
    }
}
