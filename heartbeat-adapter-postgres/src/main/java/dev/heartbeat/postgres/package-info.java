/**
 * The PostgreSQL adapter: stores readings, rejects and source positions exactly once (COPY in one
 * transaction), keeps the dashboard's summaries up to date in bulk, answers the dashboard's queries exactly
 * (summaries plus the readings not summarized yet), and keeps the daily partitions. The schema is in
 * {@code sql/} (Flyway), nowhere else.
 */
package dev.heartbeat.postgres;
