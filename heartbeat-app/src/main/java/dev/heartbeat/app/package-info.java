/**
 * The composition root. {@link dev.heartbeat.app.Main} is the entry point; the sub-packages hold the
 * commands ({@code command}), their options and exit codes ({@code options}), the wiring by hand of the
 * adapters into a running process ({@code runtime}), its metrics, log lines and status line
 * ({@code observability}), the alert sinks ({@code alerting}) and the embedded servers ({@code embedded}).
 */
package dev.heartbeat.app;
