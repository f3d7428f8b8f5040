package dev.heartbeat.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.access.Identity;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Signing in and out, at {@code /api/session}: {@code POST} with {@code {"username", "password"}}
 * opens a session (a cookie that is {@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure}
 * when the request came over TLS), {@code GET} says who is signed in (200 either way: the page asks for a
 * sign-in when nobody is), {@code DELETE} signs out.
 * Failed attempts are slowed down by the {@link LoginThrottle} (429 with {@code Retry-After}); the
 * answer to a failure never says whether the name exists. Passwords are never logged.
 */
final class SessionApi {

    private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);
    static final int MAX_BODY_BYTES = 4_096;

    /** Who is signed in: {@code signedIn} false and the rest null when nobody (so the page asks, without a 401). */
    record SessionView(boolean signedIn, String username, String role, String via) {
        static SessionView of(Identity identity) {
            return new SessionView(true, identity.name(), identity.role().id(), identity.via());
        }

        static final SessionView NOBODY = new SessionView(false, null, null, null);
    }

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final ObjectMapper mapper;
    private final Auditor auditor;

    SessionApi(Authenticator authenticator, LoginThrottle throttle, ObjectMapper mapper, Auditor auditor) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.mapper = mapper;
        this.auditor = auditor;
    }

    void signIn(Context ctx) {
        QueryParams.of(ctx, Set.of());
        Optional<JsonNode> body = JsonBody.object(ctx, mapper, MAX_BODY_BYTES, Set.of("username", "password"),
                "{\"username\": \"ana\", \"password\": \"...\"}");
        if (body.isEmpty()) {
            return;
        }
        String username = JsonBody.text(body.get(), "username", 200).strip().toLowerCase(java.util.Locale.ROOT);
        String password = JsonBody.text(body.get(), "password", 1_024);
        if (authenticator.accounts() == null || !authenticator.hasAccounts()) {
            ErrorResponses.send(ctx, 409, "no_accounts", null, "this dashboard has no accounts to sign in to; "
                    + "an operator adds one with: heartbeat users add <name> --role admin");
            return;
        }
        String address = ctx.ip();
        Optional<Duration> wait = throttle.waitFor(username, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            ErrorResponses.send(ctx, 429, "too_many_attempts", null, "too many failed sign-ins; try again in " + seconds + " s");
            LOG.info("sign-in of {} from {} refused: back-off, {} s left", LogText.safe(username), address, seconds);
            auditor.signIn(ctx, username, Optional.empty(), "sign_in", "throttled");
            return;
        }
        Optional<Identity> identity = authenticator.accounts().signIn(username, password);
        if (identity.isEmpty()) {
            throttle.failed(username, address);
            LOG.info("sign-in of {} from {} failed", LogText.safe(username), address);
            auditor.signIn(ctx, username, Optional.empty(), "sign_in", "failed");
            ErrorResponses.send(ctx, 401, "sign_in_failed", null, "that user name and password do not match an enabled account");
            return;
        }
        throttle.succeeded(username, address);
        auditor.signIn(ctx, username, identity, "sign_in", "ok");
        String session = authenticator.sessions().open(identity.get());
        ctx.header("Set-Cookie", cookie(ctx, session, authenticator.sessions().maxAge()));
        LOG.info("sign-in of {} ({}) from {}", identity.get().name(), identity.get().role().id(), address);
        ctx.json(SessionView.of(identity.get()));
    }

    void current(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ctx.json(authenticator.identify(ctx).map(SessionView::of).orElse(SessionView.NOBODY));
    }

    void signOut(Context ctx) {
        Optional<Identity> who = authenticator.identify(ctx).filter(i -> i.via().equals("session"));
        who.ifPresent(identity -> auditor.signIn(ctx, identity.name(), who, "sign_out", "ok"));
        authenticator.sessions().close(ctx.cookie(Authenticator.SESSION_COOKIE));
        ctx.header("Set-Cookie", cookie(ctx, "", Duration.ZERO));
        ctx.status(204);
    }

    /** The session cookie: script cannot read it, no other site's request carries it, TLS keeps it when used. */
    static String cookie(Context ctx, String value, Duration maxAge) {
        boolean tls = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(String.valueOf(ctx.header("X-Forwarded-Proto")).strip());
        return Authenticator.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }
}
