package dev.heartbeat.web;

import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who a request is, from what it carries, in this order: a session cookie (a signed-in person), a
 * person's API token ({@code Authorization: Bearer hbt_...}), the shared machine token
 * ({@code --web-token}, a viewer, for scrapers), or nothing. Only a dashboard that has no accounts and
 * no shared token (and so, by the app's rule, listens on loopback only) lets nothing stand for
 * {@link Identity#LOCAL}.
 */
final class Authenticator {

    static final String SESSION_COOKIE = "heartbeat_session";
    /** The shared machine token, when one is configured: it reads, it never acts. */
    static final Identity SHARED_TOKEN = new Identity("token", Role.VIEWER, "shared-token");
    /** How long a session trusts its account's role and enabled flag before looking again. */
    static final Duration REVERIFY_AFTER = Duration.ofSeconds(30);
    private static final String BEARER = "Bearer ";

    private final Accounts accounts;
    private final Sessions sessions;
    private final BearerTokenCheck sharedToken;
    private final boolean hasSharedToken;
    private final AtomicBoolean accountsSeen = new AtomicBoolean(false);
    /** While there are none, look again at most this often (a query per request would be waste). */
    private static final long LOOK_AGAIN_NANOS = 2_000_000_000L;
    private volatile long nextLook = System.nanoTime();

    Authenticator(Accounts accounts, Sessions sessions, BearerTokenCheck sharedToken, boolean hasSharedToken) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.sharedToken = sharedToken;
        this.hasSharedToken = hasSharedToken;
    }

    Optional<Identity> identify(Context ctx) {
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && accounts != null) {
            Optional<Identity> person = sessions.find(cookie, REVERIFY_AFTER, this::current);
            if (person.isPresent()) {
                return person;
            }
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).strip();
            if (accounts != null && token.startsWith("hbt_")) {
                return accounts.authenticateToken(token);
            }
            if (hasSharedToken && sharedToken.accepts(authorization)) {
                return Optional.of(SHARED_TOKEN);
            }
            return Optional.empty();
        }
        return isOpen() ? Optional.of(Identity.LOCAL) : Optional.empty();
    }

    /** Whether people must sign in: there are accounts (once seen, always), or a shared token. */
    boolean isOpen() {
        return !hasSharedToken && !hasAccounts();
    }

    boolean hasAccounts() {
        if (accounts == null) {
            return false;
        }
        long now = System.nanoTime();
        if (!accountsSeen.get() && now - nextLook >= 0) {
            nextLook = now + LOOK_AGAIN_NANOS;
            if (accounts.hasAccounts()) {
                accountsSeen.set(true);
            }
        }
        return accountsSeen.get();
    }

    Accounts accounts() {
        return accounts;
    }

    Sessions sessions() {
        return sessions;
    }

    private Optional<Identity> current(Optional<Identity> was) {
        return was.flatMap(identity -> accounts.find(identity.name()))
                .filter(account -> !account.disabled())
                .map(account -> new Identity(account.username(), account.role(), "session"));
    }
}
