package dev.heartbeat.web;

import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
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
 *   <li>The API, the live stream, the alert actions and {@code /metrics} need an identity (a session,
 *       an API token, or the shared machine token; 401 without one) whose role allows the route:
 *       viewer to read, responder to act on alerts, admin for people (403 otherwise). Signing in and
 *       out ({@code /api/session}) needs none.</li>
 *   <li>An identity that sends more than its {@linkplain ClientLimits share} of requests is refused (429).</li>
 *   <li>A state-changing request (any method but {@code GET}, {@code HEAD}, {@code OPTIONS}) needs an
 *       {@code Origin} naming this very host and port (403).</li>
 * </ol>
 * Everything else (the page and its assets) holds no data and is served to anyone the Host check lets in.
 */
final class AccessGate {

    private static final Set<String> PROBES = Set.of("/health/live", "/health/ready");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final String PENDING_AUDIT = "heartbeat.audit";

    /** Where the gate leaves the identity for the route: {@link #identity(Context)}. */
    static final String IDENTITY = "heartbeat.identity";

    private final Authenticator authenticator;
    private final HostCheck hosts;
    private final Auditor auditor;
    private final ClientLimits limits;

    AccessGate(Authenticator authenticator, HostCheck hosts, Auditor auditor, ClientLimits limits) {
        this.authenticator = authenticator;
        this.hosts = hosts;
        this.auditor = auditor;
        this.limits = limits;
    }

    /** The identity the gate found for this request (a route behind the gate always has one). */
    static Identity identity(Context ctx) {
        Identity identity = ctx.attribute(IDENTITY);
        if (identity == null) {
            throw new IllegalStateException("no identity: the route is not behind the gate");
        }
        return identity;
    }

    /** The role a normalized path and method need, or empty for what anyone the Host check lets in may see. */
    static Optional<Role> required(String method, String path) {
        if (!isProtected(path) || path.equals("/api/session")) {
            return Optional.empty();
        }
        if (path.equals("/api/users") || path.startsWith("/api/users/") || path.equals("/api/audit")) {
            return Optional.of(Role.ADMIN);
        }
        if (!SAFE_METHODS.contains(method) && (path.startsWith("/api/alerts/") || path.equals("/api/silences")
                || path.startsWith("/api/silences/"))) {
            return Optional.of(Role.RESPONDER);
        }
        return Optional.of(Role.VIEWER);
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
        Optional<Role> needed = required(ctx.req().getMethod(), path.get());
        if (needed.isPresent()) {
            Optional<Identity> identity = authenticator.identify(ctx);
            Optional<AuditedAction> audited = auditor.isOn() ? audited(ctx, path.get()) : Optional.empty();
            if (identity.isEmpty()) {
                audited.ifPresent(action -> auditor.record(ctx, identity, action, "denied"));
                ctx.header("WWW-Authenticate", "Bearer realm=\"heartbeat\"");
                refuse(ctx, 401, "unauthorized", "sign in first, or send Authorization: Bearer <your API token>");
                return;
            }
            if (!identity.get().may(needed.get())) {
                audited.ifPresent(action -> auditor.record(ctx, identity, action, "denied"));
                refuse(ctx, 403, "forbidden", "this needs the " + needed.get().id() + " role; "
                        + identity.get().name() + " is a " + identity.get().role().id());
                return;
            }
            if (!limits.tryRequest(identity.get().name())) {
                // not recorded: nothing was read, and a flood must not become a flood of audit rows
                ctx.header("Retry-After", "1");
                refuse(ctx, 429, "too_many_requests", identity.get().name() + " sent more than " + limits.policy().burst()
                        + " requests at once or " + limits.policy().perSecond() + " a second; slow down");
                return;
            }
            ctx.attribute(IDENTITY, identity.get());
            if (audited.isPresent() && SAFE_METHODS.contains(ctx.req().getMethod())) {
                // recorded before it is answered: a read that cannot be recorded is not answered
                auditor.record(ctx, identity, audited.get(), "allowed");
            } else if (audited.isPresent()) {
                ctx.attribute(PENDING_AUDIT, audited.get()); // written once the Origin check below lets it through
            }
        }
        if (!SAFE_METHODS.contains(ctx.req().getMethod()) && !HostCheck.sameOrigin(ctx.header("Origin"), ctx.header("Host"))) {
            refuse(ctx, 403, "origin_not_allowed", "a request that changes data must come from this dashboard's own page: "
                    + "send Origin with this dashboard's scheme, host and port");
            return;
        }
        AuditedAction pending = ctx.attribute(PENDING_AUDIT);
        if (pending != null) {
            auditor.record(ctx, Optional.of(identity(ctx)), pending, "allowed");
        }
    }

    private static Optional<AuditedAction> audited(Context ctx, String path) {
        String customers = ctx.queryParam("customer") != null ? ctx.queryParam("customer") : ctx.queryParam("customers");
        return RequestPath.normalizeKeepingCase(ctx.req().getRequestURI())
                .flatMap(kept -> AuditedAction.of(ctx.req().getMethod(), path, kept, Optional.ofNullable(customers)));
    }

    private static void refuse(Context ctx, int status, String error, String message) {
        ErrorResponses.send(ctx, status, error, null, message);
        ctx.skipRemainingHandlers();
    }
}
