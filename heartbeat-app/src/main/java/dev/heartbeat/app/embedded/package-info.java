/** Kafka and PostgreSQL started inside the process, for the one-command demo and the tests. */
package dev.heartbeat.app.embedded;
