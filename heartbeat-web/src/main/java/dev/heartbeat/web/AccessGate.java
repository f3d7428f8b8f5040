package dev.heartbeat.web;

import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides whether a request is answered, before any route sees it, on the
 * {@linkplain RequestPath normalized path}: however a path is spelled (trailing or doubled slashes,
 * case, percent-encoding, {@code ;parameters}, dot segments) and whatever the method ({@code HEAD} and
 * {@code OPTIONS} included), it is judged as the route it reaches.
 *
 * <ol>
 *   <li>A path that cannot be read is refused (400).</li>
 *   <li>The health probes are open to every caller and reveal only liveness and readiness.</li>
 *   <li>A request naming a {@code Host} this dashboard does not answer to is refused (421).</li>
 *   <li>The API, the live stream, the alert actions and {@code /metrics} need the credentials when
 *       some are configured (401).</li>
 *   <li>A state-changing request (any method but {@code GET}, {@code HEAD}, {@code OPTIONS}) needs an
 *       {@code Origin} naming this very host and port (403).</li>
 * </ol>
 * Everything else (the page and its assets) holds no data and is served to anyone the Host check lets in.
 */
final class AccessGate {

    private static final Set<String> PROBES = Set.of("/health/live", "/health/ready");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BearerTokenCheck credentials;
    private final HostCheck hosts;

    AccessGate(BearerTokenCheck credentials, HostCheck hosts) {
        this.credentials = credentials;
        this.hosts = hosts;
    }

    /** Whether a normalized path shows or changes data. */
    static boolean isProtected(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics") || path.startsWith("/metrics/");
    }

    /** A Javalin before-handler: answers and stops the request when it is refused. */
    void check(Context ctx) {
        Optional<String> path = RequestPath.normalize(ctx.req().getRequestURI());
        if (path.isEmpty()) {
            refuse(ctx, 400, "bad_path", "the request path cannot be read: write it plainly, without encoded separators");
            return;
        }
        if (PROBES.contains(path.get())) {
            return;
        }
        if (!hosts.allowsHost(ctx.header("Host"))) {
            refuse(ctx, 421, "misdirected_request", "this dashboard does not answer to that Host; an operator can add the "
                    + "name to --web-allowed-hosts");
            return;
        }
        if (isProtected(path.get()) && !credentials.accepts(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"heartbeat\"");
            refuse(ctx, 401, "unauthorized", "this dashboard needs a token: send Authorization: Bearer <token>");
            return;
        }
        if (!SAFE_METHODS.contains(ctx.req().getMethod()) && !HostCheck.sameOrigin(ctx.header("Origin"), ctx.header("Host"))) {
            refuse(ctx, 403, "origin_not_allowed", "a request that changes data must come from this dashboard's own page: "
                    + "send Origin with this dashboard's scheme, host and port");
        }
    }

    private static void refuse(Context ctx, int status, String error, String message) {
        ErrorResponses.send(ctx, status, error, null, message);
        ctx.skipRemainingHandlers();
    }
}
