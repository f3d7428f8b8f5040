package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.StreamPositions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthenticationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far the store is behind the readings topic, per partition: the log end (the last stable offset,
 * which is what a {@code read_committed} consumer can reach) minus the position the store holds. A
 * partition the store does not know yet counts from the log start, where the source would begin.
 *
 * <p>Each call asks Kafka (one metadata and two offset requests) and the store; callers poll it every
 * few seconds, not per reading. Thread-safe.
 */
public final class KafkaConsumerLag implements ConsumerLag, AutoCloseable {

    private final KafkaSettings settings;
    private final StreamPositions positions;
    private final Admin admin;

    public KafkaConsumerLag(KafkaSettings settings, StreamPositions positions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.positions = Objects.requireNonNull(positions, "positions");
        this.admin = Admin.create(KafkaClientConfigs.admin(settings, "lag"));
    }

    /**
     * @throws HeartbeatException when Kafka cannot be asked within the admin timeout, or refuses the credentials
     * @throws dev.heartbeat.core.StoreUnavailableException when the store cannot be asked
     */
    @Override
    public List<PartitionLag> lag() {
        long timeout = settings.adminTimeout().toNanos();
        try {
            TopicDescription topic = admin.describeTopics(Set.of(settings.topic())).allTopicNames()
                    .get(timeout, TimeUnit.NANOSECONDS).get(settings.topic());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            List<StreamPartition> partitions = new ArrayList<>();
            for (TopicPartitionInfo info : topic.partitions()) {
                TopicPartition partition = new TopicPartition(settings.topic(), info.partition());
                latest.put(partition, OffsetSpec.latest());
                earliest.put(partition, OffsetSpec.earliest());
                partitions.add(new StreamPartition(settings.topic(), info.partition()));
            }
            ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest, committedOnly).all().get(timeout, TimeUnit.NANOSECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                    admin.listOffsets(earliest, committedOnly).all().get(timeout, TimeUnit.NANOSECONDS);
            Map<StreamPartition, Long> stored = positions.positions(partitions);
            List<PartitionLag> lags = new ArrayList<>(partitions.size());
            for (StreamPartition partition : partitions.stream().sorted().toList()) {
                TopicPartition key = new TopicPartition(partition.topic(), partition.partition());
                long end = ends.get(key).offset();
                long position = stored.getOrDefault(partition, starts.get(key).offset());
                lags.add(new PartitionLag(partition, end, position));
            }
            return lags;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw CredentialsRefused.exception(settings, refused);
            }
            throw new HeartbeatException("could not read the offsets of " + settings.topic() + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new HeartbeatException("could not read the offsets of " + settings.topic() + " within "
                    + settings.adminTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeartbeatException("interrupted while reading the offsets of " + settings.topic(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
