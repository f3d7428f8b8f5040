/**
 * The {@code bench} command's machinery: a {@link dev.heartbeat.app.bench.PipelineBench} runs the
 * pipeline's phases on embedded servers with {@link dev.heartbeat.app.bench.ConsumerProcess} consumers,
 * measures them through the PostgreSQL adapter (never SQL of its own) and prints a
 * {@link dev.heartbeat.app.bench.BenchReport}; a {@link dev.heartbeat.app.bench.ProgressBar} shows the
 * way there, redrawn on a terminal, one line per phase anywhere else.
 */
package dev.heartbeat.app.bench;
