/**
 * The Kafka adapter: publishes readings to and consumes them from Apache Kafka (JSON messages keyed by customer id), administers the topic and measures consumer lag.
 */
package dev.heartbeat.kafka;
