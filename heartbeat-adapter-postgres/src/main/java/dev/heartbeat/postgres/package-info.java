/**
 * The PostgreSQL adapter: stores readings, rejects and source positions exactly once (COPY in one transaction), answers the dashboard's queries and keeps the time partitions.
 */
package dev.heartbeat.postgres;
