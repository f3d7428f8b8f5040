package dev.heartbeat.kafka;

import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.port.ReadingSource;
import dev.heartbeat.core.port.StreamFixtures;
import dev.heartbeat.core.port.TestStream;
import dev.heartbeat.core.stream.StreamPartition;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A topic and consumer group of its own on a shared test cluster, for one contract test, with the adapter's
 * publisher and sources of it.
 */
final class KafkaTestStream implements TestStream {

    private static final AtomicInteger STREAMS = new AtomicInteger();

    private final KafkaPipeline pipeline;
    private final String name;
    private final AtomicInteger sources = new AtomicInteger();

    private KafkaTestStream(KafkaPipeline pipeline, String name) {
        this.pipeline = pipeline;
        this.name = name;
    }

    /** A new topic of {@code partitions} partitions on {@code cluster}, created and empty. */
    static KafkaTestStream create(KafkaTestCluster cluster, int partitions) {
        String name = "contract-" + STREAMS.incrementAndGet();
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, name, partitions, (short) 1, 1)
                .withMaxPollRecords(StreamFixtures.MAX_BATCH);
        return new KafkaTestStream(pipeline, name);
    }

    @Override
    public List<StreamPartition> partitions() {
        return pipeline.partitions();
    }

    @Override
    public ReadingPublisher publisher() {
        return new KafkaReadingPublisher(pipeline.settings);
    }

    @Override
    public ReadingSource source() {
        return pipeline.source(name + "-" + sources.incrementAndGet());
    }
}
