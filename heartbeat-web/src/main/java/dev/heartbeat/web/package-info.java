/**
 * The live dashboard: a JSON API (read-only but for acknowledging an alert), a server-sent-events
 * stream and a static page (plain HTML/CSS/JS with uPlot from its webjar), over core ports only
 * ({@code ReadingQueries}, {@code ConsumerLag}, {@code ReadingFeed}, optionally {@code AlertStore}).
 * {@link dev.heartbeat.web.DashboardServer} is the one entry point;
 * {@link dev.heartbeat.web.DashboardSettings} its configuration. Everything else is package-private:
 * the API classes per page ({@code OverviewApi}, {@code CustomerApi}, {@code FeedApi},
 * {@code PipelineApi}, {@code AlertApi}, {@code MetaApi}, {@code HealthApi}), strict parameter
 * parsing ({@code QueryParams}, and {@code JsonBody} for request bodies), the wire format
 * ({@code ApiJson}) and the stream ({@code LiveStream}, {@code StreamClient}).
 */
package dev.heartbeat.web;
