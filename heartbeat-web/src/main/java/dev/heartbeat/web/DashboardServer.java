package dev.heartbeat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.reading.CustomerId;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseHandler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The live dashboard: the page (static files and the uPlot webjar, no CDN), a JSON API under
 * {@code /api} (read-only but for acknowledging an alert), a server-sent-events stream at
 * {@code /api/stream}, health probes and the Prometheus metrics the app renders. It sees core ports
 * only; the app wires it by hand:
 *
 * <pre>{@code
 * try (DashboardServer dashboard = DashboardServer.builder()
 *         .queries(store).lag(lag).feed(hub).clock(clock)
 *         .alerts(alertStore)   // optional: without it the alert endpoints answer 404 and the page hides alerts
 *         .metrics(registry::scrape).readiness(() -> store.isReachable())
 *         .settings(DashboardSettings.defaults().withBearerToken(token))
 *         .build()) {
 *     int port = dashboard.start();
 *     ...
 * }
 * }</pre>
 *
 * Every API parameter is validated (a bad one is a 400 naming it), a store that is down is a 503,
 * and anything unexpected is a 500 with an incident id that is also logged, never a stack trace.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** Where the page lives on the classpath (a directory unique to this module, safe in a fat jar). */
    static final String PAGE_DIRECTORY = "/heartbeat-web/public";

    /** Only this origin's scripts, styles, images and connections; no framing, no plugins, no forms elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private static final long STORE_WARNING_EVERY_NANOS = 60_000_000_000L;

    private final DashboardSettings settings;
    private final AtomicLong lastStoreWarning = new AtomicLong(System.nanoTime() - STORE_WARNING_EVERY_NANOS);
    private final LiveStream live;
    private final ClientLimits limits;
    private final AccessGate gate;
    private final Javalin app;
    private boolean started;
    private boolean closed;

    private DashboardServer(Builder b) {
        this.settings = b.settings;
        ObjectMapper mapper = ApiJson.mapper();
        this.live = new LiveStream(b.feed, b.clock, mapper, settings);
        Authenticator authenticator = new Authenticator(b.accounts, new Sessions(b.clock, Sessions.DEFAULT_IDLE,
                Sessions.DEFAULT_MAX_AGE), new BearerTokenCheck(settings.bearerToken()), settings.bearerToken().isPresent());
        Auditor auditor = new Auditor(b.audit, b.clock);
        this.limits = new ClientLimits(b.limits, System::nanoTime);
        this.gate = new AccessGate(authenticator, new HostCheck(settings.allowedHosts()), auditor, limits);
        SessionApi session = new SessionApi(authenticator, new LoginThrottle(b.clock), mapper, auditor);
        AuditApi audit = b.audit == null ? null : new AuditApi(b.audit, b.clock);
        OverviewApi overview = new OverviewApi(b.queries, b.clock);
        CustomerApi customer = new CustomerApi(b.queries, b.clock);
        FeedApi feeds = new FeedApi(b.queries, b.clock);
        PipelineApi pipeline = new PipelineApi(b.queries, b.lag, b.clock);
        AlertApi alerts = b.alerts == null ? null : new AlertApi(b.alerts, Optional.ofNullable(b.silences), b.clock, mapper);
        SilenceApi silences = b.silences == null ? null : new SilenceApi(b.silences, settings.longestSilence(), b.clock, mapper);
        MetaApi meta = new MetaApi(b.clock, settings, alerts != null);
        HealthApi health = new HealthApi(b.readiness, b.metrics);
        this.app = Javalin.create(config -> configure(config, mapper, overview, customer, feeds, pipeline, alerts, silences,
                meta, health, session, audit));
    }

    public static Builder builder() {
        return new Builder();
    }

    private void configure(JavalinConfig config, ObjectMapper mapper, OverviewApi overview, CustomerApi customer,
                           FeedApi feeds, PipelineApi pipeline, AlertApi alerts, SilenceApi silences, MetaApi meta,
                           HealthApi health,
                           SessionApi session, AuditApi audit) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = settings.bindAddress();
        config.jetty.port = settings.port();
        config.http.prefer405over404 = true;
        config.jsonMapper(new JavalinJackson(mapper, false));
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = PAGE_DIRECTORY;
            files.location = Location.CLASSPATH;
            // the page is small and changes with every release: revalidate rather than cache blindly
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        config.staticFiles.enableWebjars();
        config.requestLogger.http((ctx, ms) -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} in {} ms", ctx.method(), LogText.safe(ctx.path()), ctx.statusCode(), ms);
            }
        });

        var routes = config.routes;
        routes.before(this::securityHeaders);
        routes.before(gate::check);

        routes.get("/health/live", health::live);
        routes.get("/health/ready", health::ready);
        routes.get("/metrics", health::metrics);

        routes.post("/api/session", session::signIn);
        routes.get("/api/session", session::current);
        routes.delete("/api/session", session::signOut);
        routes.get("/api/meta", meta::meta);
        routes.get("/api/overview", overview::overview);
        routes.get("/api/customers", overview::customers);
        routes.get("/api/sparklines", overview::sparklines);
        routes.get("/api/customers/{id}", customer::latest);
        routes.get("/api/customers/{id}/history", customer::history);
        routes.get("/api/customers/{id}/stats", customer::stats);
        routes.get("/api/customers/{id}/readings", customer::readings);
        routes.get("/api/anomalies", feeds::anomalies);
        routes.get("/api/rejects", feeds::rejects);
        routes.get("/api/pipeline", pipeline::pipeline);
        routes.get("/api/pipeline/lag", pipeline::lag);
        routes.get("/api/stream", this::stream);
        routes.get("/api/audit", audit != null ? audit::find : AuditApi::notConfigured);
        // alert ids hold slashes: <id> matches them; /active is declared first so it is not taken for an id
        if (alerts != null) {
            routes.get("/api/alerts/active", alerts::active);
            routes.get("/api/alerts", alerts::history);
            routes.post("/api/alerts/<id>/ack", alerts::acknowledge);
            routes.get("/api/alerts/<id>", alerts::alert);
        } else {
            routes.get("/api/alerts/active", AlertApi::notConfigured);
            routes.get("/api/alerts", AlertApi::notConfigured);
            routes.post("/api/alerts/<id>/ack", AlertApi::notConfigured);
            routes.get("/api/alerts/<id>", AlertApi::notConfigured);
        }
        if (silences != null) {
            routes.get("/api/silences", silences::list);
            routes.post("/api/silences", silences::create);
            routes.post("/api/silences/{id}/end", silences::end);
        } else {
            routes.get("/api/silences", SilenceApi::notConfigured);
            routes.post("/api/silences", SilenceApi::notConfigured);
            routes.post("/api/silences/{id}/end", SilenceApi::notConfigured);
        }

        routes.exception(BadParameterException.class, (e, ctx) -> ErrorResponses.badParameter(ctx, e));
        routes.exception(InvalidValueException.class, (e, ctx) -> {
            // core refused a value built from the request: the request was bad, not the server
            LOG.debug("request refused by core: {}", e.getMessage());
            ErrorResponses.send(ctx, 400, "bad_request", null, LogText.safe(e.getMessage()));
        });
        routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            logStoreDown(ctx, e);
            ctx.header("Retry-After", "5");
            ErrorResponses.send(ctx, 503, "store_unavailable", null,
                    "the reading store is unavailable right now; try again in a few seconds");
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 404 -> ErrorResponses.notFound(ctx, "no such endpoint or file: " + LogText.shortened(ctx.path()));
                case 405 -> methodNotAllowed(ctx);
                default -> ErrorResponses.send(ctx, e.getStatus(), "http_" + e.getStatus(), null, e.getMessage());
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String incident = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("unexpected failure answering {} {} (incident {})", ctx.method(), LogText.safe(ctx.path()), incident, e);
            ErrorResponses.send(ctx, 500, "internal", null,
                    "the dashboard failed to answer; incident " + incident + " is in the server log");
        });
        routes.error(404, ctx -> {
            if (isApi(ctx.path()) && ctx.resultInputStream() == null) {
                ErrorResponses.notFound(ctx, "no such endpoint: " + LogText.shortened(ctx.path()));
            }
        });
        routes.error(405, ctx -> {
            if (ctx.resultInputStream() == null) {
                methodNotAllowed(ctx);
            }
        });
    }

    private static void methodNotAllowed(Context ctx) {
        ErrorResponses.send(ctx, 405, "method_not_allowed", null, "this endpoint does not answer "
                + LogText.shortened(String.valueOf(ctx.method())) + "; the API reads with GET and writes only "
                + "acknowledgements and silences, with POST");
    }

    /** A store that is down fails every poll of every open page: warn once in a while, not per request. */
    private void logStoreDown(Context ctx, StoreUnavailableException e) {
        long now = System.nanoTime();
        long last = lastStoreWarning.get();
        if (now - last >= STORE_WARNING_EVERY_NANOS && lastStoreWarning.compareAndSet(last, now)) {
            LOG.warn("store unavailable (answering 503; repeats are logged at debug for a minute): {} for {}",
                    e.getMessage(), LogText.safe(ctx.path()));
        } else {
            LOG.debug("store unavailable for {}: {}", LogText.safe(ctx.path()), e.getMessage());
        }
    }

    private static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics") || path.startsWith("/health/");
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        if (isApi(ctx.path())) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** {@code GET /api/stream?customers=a,b}: server-sent events for the listed customers. */
    private void stream(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("customers"));
        List<CustomerId> customers = params.customers("customers", ApiLimits.MAX_STREAM_CUSTOMERS);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            ErrorResponses.send(ctx, 406, "not_acceptable", null,
                    "the stream sends server-sent events: request it with Accept: text/event-stream");
            return;
        }
        String client = AccessGate.identity(ctx).name();
        if (!limits.tryOpenStream(client)) {
            ctx.header("Retry-After", "10");
            ErrorResponses.send(ctx, 429, "too_many_streams", null, client + " has " + limits.policy().streams()
                    + " live streams open already; close one first");
            return;
        }
        if (!live.reserve()) {
            limits.closeStream(client);
            ctx.header("Retry-After", "10");
            ErrorResponses.send(ctx, 503, "too_many_streams", null,
                    "the dashboard has " + settings.maxStreamClients() + " live streams open; try again later");
            return;
        }
        try {
            new SseHandler(sse -> live.attach(sse, customers, () -> limits.closeStream(client))).handle(ctx);
        } catch (RuntimeException e) {
            live.release();
            limits.closeStream(client);
            throw e;
        }
    }

    /**
     * Starts listening and returns the bound port (the chosen one when the settings say 0). Throws
     * {@link HeartbeatException} when it cannot listen (the port is taken); the server is then closed.
     */
    public synchronized int start() {
        if (closed) {
            throw new IllegalStateException("the dashboard was closed");
        }
        if (!started) {
            live.start();
            try {
                app.start();
            } catch (RuntimeException cannotListen) {
                live.close();
                closed = true;
                throw new HeartbeatException("the dashboard cannot listen on " + settings.bindAddress() + ":"
                        + settings.port() + ": " + cannotListen.getMessage(), cannotListen);
            }
            started = true;
            LOG.info("dashboard listening on http://{}:{}/ ({}; answering to localhost, IP addresses{})",
                    settings.bindAddress(), app.port(),
                    settings.bearerToken().isPresent() ? "API needs a bearer token" : "API open, no token",
                    settings.allowedHosts().isEmpty() ? "" : " and " + String.join(", ", settings.allowedHosts().stream().sorted().toList()));
        }
        return app.port();
    }

    /** The bound port; only meaningful after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** Live streams open now. */
    public int streamClients() {
        return live.clientCount();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        live.close();
        if (started) {
            app.stop();
        }
    }

    /** Collects the ports and settings; every one but the alerts and the settings is required. */
    public static final class Builder {
        private ReadingQueries queries;
        private ConsumerLag lag;
        private ReadingFeed feed;
        private AlertStore alerts;
        private SilenceStore silences;
        private Accounts accounts;
        private AuditLog audit;
        private Clock clock;
        private Supplier<String> metrics;
        private BooleanSupplier readiness;
        private DashboardSettings settings = DashboardSettings.defaults();
        private ClientLimits.Policy limits = ClientLimits.Policy.DEFAULT;

        private Builder() {
        }

        public Builder queries(ReadingQueries value) {
            this.queries = Objects.requireNonNull(value, "queries");
            return this;
        }

        public Builder lag(ConsumerLag value) {
            this.lag = Objects.requireNonNull(value, "lag");
            return this;
        }

        public Builder feed(ReadingFeed value) {
            this.feed = Objects.requireNonNull(value, "feed");
            return this;
        }

        /**
         * The alerts to show and acknowledge (optional): without them the alert endpoints answer 404
         * {@code alerts_not_configured} and the page shows no alerts.
         */
        public Builder alerts(AlertStore value) {
            this.alerts = Objects.requireNonNull(value, "alerts");
            return this;
        }

        /**
         * The silences to list, make and end (optional; each at most the settings' longest): without
         * them the silence endpoints answer 404 {@code silences_not_configured}. Making and ending one
         * needs a responder or an admin.
         */
        public Builder silences(SilenceStore value) {
            this.silences = Objects.requireNonNull(value, "silences");
            return this;
        }

        /**
         * The people who may sign in (optional): once any account exists, every request that shows or
         * changes data needs a signed-in person, an API token or the shared machine token. Without
         * accounts (and without a shared token) the dashboard is open to whoever reaches it, so the app
         * binds such a dashboard to loopback only.
         */
        public Builder accounts(Accounts value) {
            this.accounts = Objects.requireNonNull(value, "accounts");
            return this;
        }

        /**
         * The audit trail (optional): every read of customers' data, every alert action and every sign-in
         * is recorded in it before it is answered; admins read it at {@code /api/audit}.
         */
        public Builder audit(AuditLog value) {
            this.audit = Objects.requireNonNull(value, "audit");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Renders the app's metrics in the Prometheus text format (for example a Micrometer registry's scrape). */
        public Builder metrics(Supplier<String> value) {
            this.metrics = Objects.requireNonNull(value, "metrics");
            return this;
        }

        /** Whether the app is ready to serve (its store and broker answer); drives {@code /health/ready}. */
        public Builder readiness(BooleanSupplier value) {
            this.readiness = Objects.requireNonNull(value, "readiness");
            return this;
        }

        public Builder settings(DashboardSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** What one client may ask at once and per second, and how many live streams it may hold (default {@link ClientLimits.Policy#DEFAULT}). */
        public Builder clientLimits(ClientLimits.Policy value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        public DashboardServer build() {
            Objects.requireNonNull(queries, "queries (ReadingQueries) is required");
            Objects.requireNonNull(lag, "lag (ConsumerLag) is required");
            Objects.requireNonNull(feed, "feed (ReadingFeed) is required");
            Objects.requireNonNull(clock, "clock is required");
            Objects.requireNonNull(metrics, "metrics (Prometheus text supplier) is required");
            Objects.requireNonNull(readiness, "readiness check is required");
            return new DashboardServer(this);
        }
    }
}
