package dev.heartbeat.app.observability;

import dev.heartbeat.core.port.ConsumerLag;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's Micrometer registry, exported in Prometheus format at {@code /metrics}: JVM and
 * process meters, the ingest meters ({@code IngestMetrics}), and consumer lag per partition, read
 * every 5 s (a scrape never waits for Kafka).
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("metrics").daemon(true).factory());
    private final AtomicReference<List<ConsumerLag.PartitionLag>> lastLag = new AtomicReference<>(List.of());
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Publishes {@code heartbeat_consumer_lag{partition}} from {@code lag}, refreshed every 5 s. */
    public void watchLag(ConsumerLag lag) {
        MultiGauge gauge = MultiGauge.builder("heartbeat.consumer.lag").baseUnit("messages")
                .description("Messages published and not yet stored, per partition").register(registry);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                List<ConsumerLag.PartitionLag> lags = lag.lag();
                lastLag.set(lags);
                gauge.register(lags.stream().map(l -> MultiGauge.Row.of(
                        Tags.of("topic", l.partition().topic(), "partition", Integer.toString(l.partition().partition())),
                        l.lag())).toList(), true);
            } catch (RuntimeException unavailable) {
                // Kafka or the store is away: keep the last values
            }
        }, 0, 5, TimeUnit.SECONDS);
    }

    /** The lag read last (empty before the first read). */
    public long totalLag() {
        return lastLag.get().stream().mapToLong(ConsumerLag.PartitionLag::lag).sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        gc.close();
        registry.close();
    }
}
