package dev.heartbeat.web;

import dev.heartbeat.core.InvalidValueException;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What one client (a signed-in person, an API token, the shared machine token) may ask of the dashboard:
 * requests at a sustained rate with a burst (a token bucket each), and live streams open at once. Beyond
 * either the gate answers 429 with {@code Retry-After}, so that no one client (a runaway script, a page
 * left open in many tabs) occupies the dashboard's threads and database connections. Clients are
 * identities the gate has authenticated, so there are as many buckets as accounts and tokens.
 */
public final class ClientLimits {

    /** The limits: {@code burst} requests at once, refilled at {@code perSecond}; {@code streams} open per client. */
    public record Policy(int burst, int perSecond, int streams) {

        /** 200 at once, 50 a second sustained, 4 live streams: a person's page asks a few a second. */
        public static final Policy DEFAULT = new Policy(200, 50, 4);

        public Policy {
            if (burst < 1 || perSecond < 1 || streams < 1) {
                throw new InvalidValueException("client limits must be at least 1, got burst " + burst + ", "
                        + perSecond + "/s and " + streams + " streams");
            }
        }
    }

    private final Policy policy;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> streams = new ConcurrentHashMap<>();

    ClientLimits(Policy policy, LongSupplier nanos) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
    }

    Policy policy() {
        return policy;
    }

    /** Takes one request from {@code client}'s bucket; false when it is empty. */
    boolean tryRequest(String client) {
        return buckets.computeIfAbsent(client, c -> new Bucket(policy.burst(), nanos.getAsLong())).take(policy, nanos.getAsLong());
    }

    /** Opens one of {@code client}'s live streams; false when it has its share open. Pair with {@link #closeStream}. */
    boolean tryOpenStream(String client) {
        AtomicInteger open = streams.computeIfAbsent(client, c -> new AtomicInteger());
        while (true) {
            int now = open.get();
            if (now >= policy.streams()) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void closeStream(String client) {
        AtomicInteger open = streams.get(client);
        if (open != null) {
            open.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    /** A token bucket: {@code tokens} left, refilled continuously at the policy's rate up to its burst. */
    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(int tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        synchronized boolean take(Policy policy, long now) {
            tokens = Math.min(policy.burst(), tokens + (now - lastNanos) / 1e9 * policy.perSecond());
            lastNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
