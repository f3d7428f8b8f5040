package dev.heartbeat.web;

import dev.heartbeat.core.access.Identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The signed-in browsers of this dashboard process: a session id (256 random bits, in a cookie) stands
 * for an identity until it has been idle for {@code idle}, or {@code maxAge} after sign-in however busy,
 * or its person signs out. Only a SHA-256 of each id is kept, so the table holds nothing a cookie could
 * be made from. Sessions live in this process: a restart signs everyone out.
 */
final class Sessions {

    static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    static final Duration DEFAULT_MAX_AGE = Duration.ofHours(12);
    /** More than anyone needs; beyond it the oldest-idle sessions are dropped first. */
    static final int MAX_SESSIONS = 10_000;

    private record Session(Identity identity, Instant created, Instant lastSeen, Instant verified) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;

    Sessions(Clock clock, Duration idle, Duration maxAge) {
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    Duration maxAge() {
        return maxAge;
    }

    /** A new session for {@code identity}; returns the id for the cookie. */
    String open(Identity identity) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            expire(now);
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::lastSeen)))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        sessions.put(key(id), new Session(identity, now, now, now));
        return id;
    }

    /**
     * The identity of a live session, touched; empty when the id is unknown or the session expired.
     * When the identity was last verified more than {@code reverifyAfter} ago, {@code reverify} says
     * what it is now (a changed role, or empty for a disabled account, which ends the session).
     */
    Optional<Identity> find(String id, Duration reverifyAfter, UnaryOperator<Optional<Identity>> reverify) {
        if (id == null || id.length() != 43) {
            return Optional.empty();
        }
        String key = key(id);
        Instant now = clock.instant();
        Session session = sessions.get(key);
        if (session == null) {
            return Optional.empty();
        }
        if (now.isAfter(session.lastSeen().plus(idle)) || now.isAfter(session.created().plus(maxAge))) {
            sessions.remove(key);
            return Optional.empty();
        }
        Identity identity = session.identity();
        Instant verified = session.verified();
        if (now.isAfter(verified.plus(reverifyAfter))) {
            Optional<Identity> current = reverify.apply(Optional.of(identity));
            if (current.isEmpty()) {
                sessions.remove(key);
                return Optional.empty();
            }
            identity = current.get();
            verified = now;
        }
        sessions.put(key, new Session(identity, session.created(), now, verified));
        return Optional.of(identity);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(key(id));
        }
    }

    int size() {
        return sessions.size();
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.created().plus(maxAge)));
    }

    private static String key(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
