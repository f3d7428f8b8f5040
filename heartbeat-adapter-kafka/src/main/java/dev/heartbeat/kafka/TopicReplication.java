package dev.heartbeat.kafka;

/**
 * How an existing topic is replicated: replicas per partition and its {@code min.insync.replicas}. The
 * factor is the topic's assignment, which a stopped broker does not change (only the in-sync set shrinks).
 */
public record TopicReplication(short factor, int minInsyncReplicas) {
}
