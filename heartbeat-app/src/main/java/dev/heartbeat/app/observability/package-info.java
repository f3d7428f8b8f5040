/** What a running process tells its operators: Prometheus metrics, ingest log lines, the console's status line, the log format. */
package dev.heartbeat.app.observability;
