package dev.heartbeat.kafka;

import dev.heartbeat.core.HeartbeatException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the readings topic exists as the settings describe it before anything produces to it.
 * Topics are never auto-created: {@link #ensureTopic()} creates it with the configured partitions,
 * replication factor and {@code min.insync.replicas}, refuses an existing topic that differs in any of
 * them (or that is compacted: keyed by customer, compaction would drop unread readings), and returns
 * only when the topic can take writes safely.
 *
 * <p>Why the wait matters (KAFKA-15591): an idempotent producer that writes to a partition whose leader
 * has not yet applied the topic's creation can have its first request refused while a later one is
 * accepted; the first batch then never gets in. So after creating the topic this waits, bounded by the
 * admin timeout, until every partition has a leader and a full ISR and each leader answers for its
 * partition (a {@code ListOffsets} request, which only the leader serves).
 */
public final class KafkaTopicAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicAdmin.class);
    private static final Duration RETRY_EVERY = Duration.ofMillis(50);

    private final KafkaSettings settings;
    private final Admin admin;

    public KafkaTopicAdmin(KafkaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.admin = Admin.create(KafkaClientConfigs.admin(settings, "topic-admin"));
    }

    /**
     * Creates the topic when it is missing, checks it against the settings and waits until it is ready.
     * A topic that was just created (by this call, or by another instance at the same moment) must reach
     * a full ISR on every partition; one that existed before needs a leader and at least
     * {@code min.insync.replicas} in-sync replicas per partition (a broker being down must not stop the
     * application from starting while writes can still be acknowledged).
     *
     * @return true when this call created the topic
     * @throws HeartbeatException when the topic exists with other settings, when the cluster cannot be
     *                            reached or refuses the credentials, or when the topic is not ready within
     *                            the admin timeout
     */
    public boolean ensureTopic() {
        long deadline = System.nanoTime() + settings.adminTimeout().toNanos();
        Found found = createIfMissing(deadline);
        TopicDescription description = waitReady(deadline, found != Found.EXISTED);
        checkMatches(description, topicConfig(deadline));
        String how = switch (found) {
            case CREATED -> "created and ready";
            case CREATED_CONCURRENTLY -> "created by another client just now, and ready";
            case EXISTED -> "ready";
        };
        LOG.info("topic {} {}: {} partitions, replication factor {}, min.insync.replicas {}", settings.topic(), how,
                settings.partitions(), settings.replicationFactor(), settings.minInsyncReplicas());
        return found == Found.CREATED;
    }

    /** How the topic came to be there. */
    private enum Found { EXISTED, CREATED, CREATED_CONCURRENTLY }

    private Found createIfMissing(long deadline) {
        if (describe(deadline) != null) {
            return Found.EXISTED;
        }
        NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor())
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                        // whatever the broker default: compacting a topic keyed by customer would lose readings
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        try {
            admin.createTopics(List.of(topic)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
            return Found.CREATED;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return Found.CREATED_CONCURRENTLY; // another instance won the race: checked and waited on the same
            }
            throw failure("could not create topic " + settings.topic(), e.getCause());
        } catch (TimeoutException e) {
            throw failure("could not create topic " + settings.topic() + " within " + settings.adminTimeout(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** The topic's description, or null when the cluster does not know it (yet). */
    private TopicDescription describe(long deadline) {
        try {
            return admin.describeTopics(Set.of(settings.topic())).allTopicNames()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(settings.topic());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw failure("could not describe topic " + settings.topic(), e.getCause());
        } catch (TimeoutException e) {
            throw failure("could not describe topic " + settings.topic() + " within " + settings.adminTimeout(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private TopicDescription waitReady(long deadline, boolean fresh) {
        String notReady;
        while (true) {
            TopicDescription description = describe(deadline);
            if (description == null) {
                notReady = "the cluster does not list it yet";
            } else {
                checkShape(description);
                notReady = unready(description, fresh);
                if (notReady == null) {
                    notReady = leadersAnswer(description, deadline);
                }
                if (notReady == null) {
                    return description;
                }
            }
            if (System.nanoTime() + RETRY_EVERY.toNanos() - deadline > 0) {
                throw new HeartbeatException("topic " + settings.topic() + " is not ready after "
                        + settings.adminTimeout() + ": " + notReady);
            }
            try {
                Thread.sleep(RETRY_EVERY);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /** Why the description is not ready yet, or null when every partition is. */
    private String unready(TopicDescription description, boolean fresh) {
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
                return "partition " + partition.partition() + " has no leader";
            }
            int needed = fresh ? partition.replicas().size() : settings.minInsyncReplicas();
            if (partition.isr().size() < needed) {
                return "partition " + partition.partition() + " has " + partition.isr().size()
                        + " in-sync replicas of " + partition.replicas().size() + ", needs " + needed;
            }
        }
        return null;
    }

    /** Null when the leader of every partition serves it (has applied the topic), else why not. */
    private String leadersAnswer(TopicDescription description, long deadline) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(settings.topic(), p.partition()), OffsetSpec.latest()));
        try {
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(Math.min(remaining(deadline), Duration.ofSeconds(5).toNanos()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return "a partition leader does not serve it yet (" + cause + ")";
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Partitions and replication factor: checked as soon as the topic is seen, waiting would not change them. */
    private void checkShape(TopicDescription description) {
        int partitions = description.partitions().size();
        int minReplicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        int maxReplicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).max().orElse(0);
        if (partitions != settings.partitions() || minReplicas != settings.replicationFactor()
                || maxReplicas != settings.replicationFactor()) {
            throw mismatch("partitions=" + partitions + ", replication factor="
                    + (minReplicas == maxReplicas ? Integer.toString(minReplicas) : minReplicas + "-" + maxReplicas));
        }
    }

    private void checkMatches(TopicDescription description, Config config) {
        checkShape(description);
        int minInsyncReplicas = minInsyncReplicas(config);
        if (minInsyncReplicas != settings.minInsyncReplicas()) {
            throw mismatch("partitions=" + description.partitions().size() + ", replication factor="
                    + settings.replicationFactor() + ", min.insync.replicas=" + minInsyncReplicas);
        }
        String cleanup = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        if (cleanup.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new HeartbeatException("topic " + settings.topic() + " has cleanup.policy=" + cleanup
                    + ": readings are keyed by customer, so compaction would delete all but the latest reading of"
                    + " each customer before it is stored; it needs cleanup.policy=delete");
        }
    }

    private HeartbeatException mismatch(String actual) {
        return new HeartbeatException("topic " + settings.topic() + " exists with " + actual
                + " but the settings ask for partitions=" + settings.partitions() + ", replication factor="
                + settings.replicationFactor() + ", min.insync.replicas=" + settings.minInsyncReplicas()
                + "; change the settings to match, or alter or recreate the topic (it is never changed automatically)");
    }

    /** The topic's effective configuration (its own values, and the broker defaults it inherits). */
    private Config topicConfig(long deadline) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
        try {
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(resource);
            if (config == null) {
                throw new HeartbeatException("topic " + settings.topic() + " reports no configuration");
            }
            return config;
        } catch (ExecutionException e) {
            throw failure("could not read the configuration of topic " + settings.topic(), e.getCause());
        } catch (TimeoutException e) {
            throw failure("could not read the configuration of topic " + settings.topic() + " within "
                    + settings.adminTimeout(), e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private int minInsyncReplicas(Config config) {
        String text = value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw failure("topic " + settings.topic() + " has min.insync.replicas=" + text + ", not a number", e);
        }
    }

    private String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        if (entry == null || entry.value() == null) {
            throw new HeartbeatException("topic " + settings.topic() + " reports no " + name);
        }
        return entry.value();
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private HeartbeatException failure(String message, Throwable cause) {
        if (cause instanceof AuthenticationException refused) {
            // the admin client fails at once on refused credentials: say which, not "could not describe"
            return CredentialsRefused.exception(settings, refused);
        }
        return new HeartbeatException(message + ": " + cause, cause);
    }

    private static HeartbeatException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HeartbeatException("interrupted while preparing the topic", e);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
