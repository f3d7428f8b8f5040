/**
 * The live dashboard: a read-only JSON API, a server-sent-events stream and a static page (plain
 * HTML/CSS/JS with uPlot from its webjar), over core ports only ({@code ReadingQueries},
 * {@code ConsumerLag}, {@code ReadingFeed}). {@link dev.heartbeat.web.DashboardServer} is the one
 * entry point; {@link dev.heartbeat.web.DashboardSettings} its configuration. Everything else is
 * package-private: the API classes per page ({@code OverviewApi}, {@code CustomerApi},
 * {@code FeedApi}, {@code PipelineApi}, {@code MetaApi}, {@code HealthApi}), strict parameter
 * parsing ({@code QueryParams}), the wire format ({@code ApiJson}) and the stream
 * ({@code LiveStream}, {@code StreamClient}).
 */
package dev.heartbeat.web;
