package dev.heartbeat.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Back-off after failed sign-ins, counted per user name and per client address alike: after
 * {@value #FREE_FAILURES} failures in a row, each further attempt must wait 1 s, then 2, 4, ... up to
 * 15 minutes, whether the password is right or not. A success clears the name's and the address's count.
 * Guessing a password is thus slow for one name from many addresses and for many names from one.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    /** Failures are forgotten this long after the last one. */
    static final Duration MEMORY = Duration.ofHours(1);
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, Instant last) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must still wait before trying again, if at all. */
    Optional<Duration> waitFor(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures f = failures.get(key);
            if (f == null || f.count() < FREE_FAILURES) {
                continue;
            }
            Duration left = Duration.between(now, f.last().plus(delay(f.count())));
            if (left.compareTo(wait) > 0) {
                wait = left;
            }
        }
        return wait.isPositive() ? Optional.of(wait) : Optional.empty();
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_KEYS) {
            failures.values().removeIf(f -> now.isAfter(f.last().plus(MEMORY)));
        }
        for (String key : keys(username, address)) {
            failures.merge(key, new Failures(1, now), (old, one) ->
                    now.isAfter(old.last().plus(MEMORY)) ? one : new Failures(old.count() + 1, now));
        }
    }

    void succeeded(String username, String address) {
        for (String key : keys(username, address)) {
            failures.remove(key);
        }
    }

    /** The wait after {@code count} failures in a row: 1 s after the fifth, doubling, at most 15 minutes. */
    static Duration delay(int count) {
        if (count < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(count - FREE_FAILURES, 20);
        Duration delay = Duration.ofSeconds(1L << doublings);
        return delay.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : delay;
    }

    private static String[] keys(String username, String address) {
        return new String[] {"user:" + username, "address:" + address};
    }
}
