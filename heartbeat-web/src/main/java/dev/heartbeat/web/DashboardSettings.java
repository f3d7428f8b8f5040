package dev.heartbeat.web;

import dev.heartbeat.core.Durations;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.alert.SilenceRequest;

import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the dashboard listens and protects itself.
 *
 * <ul>
 *   <li>{@code port}: TCP port, 0-65535; 0 picks any free port (tests). Default 8080.</li>
 *   <li>{@code bindAddress}: the interface to listen on. Default {@code 127.0.0.1}, so a dashboard
 *       without a token is not reachable from other machines by accident.</li>
 *   <li>{@code bearerToken}: when present, every {@code /api} and {@code /metrics} request must carry
 *       {@code Authorization: Bearer <token>}. 16-200 characters of the RFC 6750 token alphabet.</li>
 *   <li>{@code streamInterval}: how often the live stream pushes coalesced updates to a client
 *       (50 ms - 1 s; default 250 ms, so at most four pushes a second).</li>
 *   <li>{@code keepAliveInterval}: how often an idle stream gets a comment line, which also detects
 *       clients that went away (1-120 s; default 15 s).</li>
 *   <li>{@code maxStreamClients}: live streams open at once, 1-10000 (default 256); more get 503.</li>
 *   <li>{@code allowedHosts}: the host names the dashboard answers to besides {@code localhost} and IP
 *       addresses (default none); a request naming any other {@code Host} is refused (DNS rebinding).</li>
 *   <li>{@code longestSilence}: how long a silence made through the API may last (1 min - 30 d;
 *       default 24 h).</li>
 * </ul>
 */
public record DashboardSettings(int port, String bindAddress, Optional<String> bearerToken, Duration streamInterval,
                                Duration keepAliveInterval, int maxStreamClients, Set<String> allowedHosts,
                                Duration longestSilence) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final Duration DEFAULT_STREAM_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_STREAM_CLIENTS = 256;

    public DashboardSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(streamInterval, "streamInterval");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (port < 0 || port > 65_535) {
            throw new InvalidValueException("dashboard port must be 0-65535, got " + port);
        }
        if (bindAddress.isBlank()) {
            throw new InvalidValueException("dashboard bind address must not be blank");
        }
        bearerToken.ifPresent(DashboardSettings::checkToken);
        if (streamInterval.compareTo(Duration.ofMillis(50)) < 0 || streamInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new InvalidValueException("dashboard stream interval must be 50 ms - 1 s, got " + streamInterval);
        }
        if (keepAliveInterval.compareTo(Duration.ofSeconds(1)) < 0 || keepAliveInterval.compareTo(Duration.ofSeconds(120)) > 0) {
            throw new InvalidValueException("dashboard keep-alive interval must be 1-120 s, got " + keepAliveInterval);
        }
        if (maxStreamClients < 1 || maxStreamClients > 10_000) {
            throw new InvalidValueException("dashboard max stream clients must be 1-10000, got " + maxStreamClients);
        }
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        Objects.requireNonNull(longestSilence, "longestSilence");
        if (longestSilence.compareTo(Duration.ofMinutes(1)) < 0 || longestSilence.compareTo(Duration.ofDays(30)) > 0) {
            throw new InvalidValueException("the longest silence must be 1m - 30d, got " + Durations.format(longestSilence));
        }
        Set<String> names = new TreeSet<>();
        for (String name : allowedHosts) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (HostCheck.HostPort.parse(lower).filter(h -> h.port().isEmpty() && h.host().equals(lower)).isEmpty()) {
                throw new InvalidValueException("dashboard allowed host must be a host name without port or scheme, got \""
                        + LogText.shortened(name) + '"');
            }
            names.add(lower);
        }
        allowedHosts = Collections.unmodifiableSet(names);
    }

    /** Port 8080 on 127.0.0.1, no token, the default stream timings. */
    public static DashboardSettings defaults() {
        return new DashboardSettings(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, Optional.empty(), DEFAULT_STREAM_INTERVAL,
                DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_MAX_STREAM_CLIENTS, Set.of(), SilenceRequest.DEFAULT_LONGEST);
    }

    public DashboardSettings withPort(int newPort) {
        return new DashboardSettings(newPort, bindAddress, bearerToken, streamInterval, keepAliveInterval, maxStreamClients, allowedHosts, longestSilence);
    }

    public DashboardSettings withBindAddress(String address) {
        return new DashboardSettings(port, address, bearerToken, streamInterval, keepAliveInterval, maxStreamClients, allowedHosts, longestSilence);
    }

    public DashboardSettings withBearerToken(String token) {
        return new DashboardSettings(port, bindAddress, Optional.of(token), streamInterval, keepAliveInterval, maxStreamClients, allowedHosts, longestSilence);
    }

    public DashboardSettings withStreamInterval(Duration interval) {
        return new DashboardSettings(port, bindAddress, bearerToken, interval, keepAliveInterval, maxStreamClients, allowedHosts, longestSilence);
    }

    public DashboardSettings withKeepAliveInterval(Duration interval) {
        return new DashboardSettings(port, bindAddress, bearerToken, streamInterval, interval, maxStreamClients, allowedHosts, longestSilence);
    }

    public DashboardSettings withMaxStreamClients(int clients) {
        return new DashboardSettings(port, bindAddress, bearerToken, streamInterval, keepAliveInterval, clients, allowedHosts, longestSilence);
    }

    /** Answer also to these host names (besides {@code localhost} and IP addresses): the names the dashboard is reached by. */
    public DashboardSettings withAllowedHosts(Set<String> names) {
        return new DashboardSettings(port, bindAddress, bearerToken, streamInterval, keepAliveInterval, maxStreamClients, names, longestSilence);
    }

    /** Silences last at most this long (a snooze of a customer, a maintenance window). */
    public DashboardSettings withLongestSilence(Duration longest) {
        return new DashboardSettings(port, bindAddress, bearerToken, streamInterval, keepAliveInterval, maxStreamClients,
                allowedHosts, longest);
    }

    /** RFC 6750's b64token characters, long enough not to be guessed, short enough for a header. */
    private static void checkToken(String token) {
        if (token.length() < 16 || token.length() > 200) {
            throw new InvalidValueException("dashboard bearer token must have 16-200 characters, got " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
            if (!allowed) {
                throw new InvalidValueException("dashboard bearer token may contain only letters, digits and -._~+/=");
            }
        }
    }

    /** The token is a secret: it never appears in logs or messages. */
    @Override
    public String toString() {
        return "DashboardSettings[port=" + port + ", bindAddress=" + bindAddress + ", bearerToken="
                + (bearerToken.isPresent() ? "(set)" : "(none)") + ", streamInterval=" + streamInterval
                + ", keepAliveInterval=" + keepAliveInterval + ", maxStreamClients=" + maxStreamClients
                + ", allowedHosts=" + allowedHosts + "]";
    }
}
