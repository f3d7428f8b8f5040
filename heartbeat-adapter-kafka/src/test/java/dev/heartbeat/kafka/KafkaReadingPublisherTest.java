package dev.heartbeat.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.heartbeat.core.PublishException;
import dev.heartbeat.core.port.ReadingPublisherContract;
import dev.heartbeat.core.port.TestStream;
import dev.heartbeat.core.reading.Reading;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KafkaReadingPublisher} on a real broker: core's publisher contract (read back by
 * {@link KafkaReadingSource}), what goes on the wire, and what happens when sends fail.
 */
class KafkaReadingPublisherTest extends ReadingPublisherContract {

    static KafkaTestCluster cluster;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger publisherLog = (Logger) LoggerFactory.getLogger(KafkaReadingPublisher.class);

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaTestCluster.start(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected TestStream stream(int partitions) {
        return KafkaTestStream.create(cluster, partitions);
    }

    @BeforeEach
    void captureLogs() {
        logged.start();
        publisherLog.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        publisherLog.detachAppender(logged);
    }

    List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void publishesKeyedByCustomerWithTheContractJson() {
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, "wire", 3, (short) 1, 1);
        List<Reading> readings = SimulatedReadings.generate(9, 4, 40);
        pipeline.publish(readings);

        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = IntStream.range(0, 3)
                    .mapToObj(p -> new TopicPartition(pipeline.settings.topic(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= readings.size();
            }, () -> readings.size() + " records, got " + records.size());
        }
        Map<String, Integer> partitionOfCustomer = new HashMap<>();
        Map<String, List<String>> valuesOfCustomer = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertEquals(record.partition(), partitionOfCustomer.computeIfAbsent(key, k -> record.partition()),
                    "one customer, one partition");
            valuesOfCustomer.computeIfAbsent(key, k -> new ArrayList<>()).add(new String(record.value(), StandardCharsets.UTF_8));
        }
        for (Reading reading : readings) {
            String expected = "{\"customer_id\":\"" + reading.customerId() + "\",\"timestamp\":\""
                    + ReadingJsonCodec.timestamp(reading.recordedAt()) + "\",\"heart_rate\":" + reading.heartRate()
                    + ",\"state\":\"" + reading.activity().wireName() + "\"}";
            assertTrue(valuesOfCustomer.get(reading.customerId().value()).contains(expected), expected);
        }
        // each customer's readings in the order published
        valuesOfCustomer.forEach((customer, values) -> assertEquals(readings.stream()
                .filter(r -> r.customerId().value().equals(customer))
                .map(r -> new String(ReadingJsonCodec.encode(r), StandardCharsets.UTF_8)).toList(), values));
    }

    @Test
    void everyFailedSendFailsItsFutureIsCountedAndIsLoggedOncePerCause() {
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, "too-large", 3, (short) 1, 1);
        // a record limit no reading fits in: the producer refuses every send, through its callback
        KafkaSettings tiny = pipeline.settings.withClientProperties(Map.of("max.request.size", "64"));
        List<Reading> readings = SimulatedReadings.generate(10, 10, 500);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(tiny)) {
            readings.forEach(r -> sent.add(publisher.publish(r)));
            publisher.flush();
            assertEquals(500, publisher.failures());
            assertEquals(0, publisher.acknowledged());
            assertEquals(Map.of(RecordTooLargeException.class.getName(), 500L), publisher.failuresByCause());
        }
        for (CompletableFuture<Void> future : sent) {
            CompletionException failed = assertThrows(CompletionException.class, future::join);
            PublishException cause = assertInstanceOf(PublishException.class, failed.getCause());
            assertInstanceOf(RecordTooLargeException.class, cause.getCause());
        }
        List<String> warnings = warnings();
        assertEquals(2, warnings.size(), () -> "one warning for the cause and one summary at close: " + warnings);
        assertTrue(warnings.getFirst().contains("RecordTooLargeException"), warnings.getFirst());
        assertTrue(warnings.get(1).contains("500 failed"), warnings.get(1));
    }

    @Test
    void aTopicThatDoesNotExistFailsTheSendsWithoutCreatingIt() throws Exception {
        KafkaSettings missing = KafkaSettings.singleBroker(cluster.bootstrapServers()).withTopic("never-created", 3)
                .withClientProperties(Map.of("max.block.ms", "300"));
        List<Reading> readings = SimulatedReadings.generate(12, 3, 3);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(missing)) {
            readings.forEach(r -> sent.add(publisher.publish(r)));
            publisher.flush();
            assertEquals(3, publisher.failures());
            assertEquals(Map.of(TimeoutException.class.getName(), 3L), publisher.failuresByCause());
        }
        sent.forEach(f -> assertInstanceOf(PublishException.class, assertThrows(CompletionException.class, f::join).getCause()));
        assertEquals(1, warnings().stream().filter(w -> w.startsWith("publishing to never-created failed")).count(), warnings()::toString);
        assertTrue(cluster.admin().listTopics().names().get().stream().noneMatch("never-created"::equals), "not auto-created");
    }

    @Test
    void aPublishAfterCloseFailsItsFutureRatherThanThrowing() {
        KafkaPipeline pipeline = KafkaPipeline.create(cluster, "closed", 1, (short) 1, 1);
        KafkaReadingPublisher publisher = new KafkaReadingPublisher(pipeline.settings);
        publisher.close();
        CompletableFuture<Void> late = publisher.publish(SimulatedReadings.generate(13, 1, 1).getFirst());
        assertInstanceOf(PublishException.class, assertThrows(CompletionException.class, late::join).getCause());
        assertEquals(1, publisher.failures());
    }
}
