package dev.heartbeat.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} a request may name, and which {@code Origin} a state-changing request must come
 * from. A page on another site that makes its own name resolve to this machine (DNS rebinding) still
 * sends its own name as {@code Host}; answering only to {@code localhost}, to IP addresses (which no
 * rebinding can forge, as a rebinding needs the attacker's name) and to the configured names shuts it
 * out. A form or script on another site that posts here sends its own {@code Origin}; a state-changing
 * request must name this very host and port as its origin.
 */
final class HostCheck {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final Set<String> allowedNames;

    /** {@code allowedNames}: the host names, besides {@code localhost} and IP addresses, this dashboard answers to. */
    HostCheck(Set<String> allowedNames) {
        this.allowedNames = Set.copyOf(allowedNames);
    }

    /** A {@code Host} header split into its name (lower case, brackets kept for IPv6) and port, if it is well formed. */
    record HostPort(String host, Optional<Integer> port) {

        static Optional<HostPort> parse(String header) {
            if (header == null || header.isEmpty() || header.length() > 300) {
                return Optional.empty();
            }
            String text = header.strip().toLowerCase(Locale.ROOT);
            String host = text;
            String port = null;
            int close = text.lastIndexOf(']');
            int colon = text.lastIndexOf(':');
            if (text.startsWith("[")) {
                if (close < 0) {
                    return Optional.empty();
                }
                host = text.substring(0, close + 1);
                if (close + 1 < text.length()) {
                    if (text.charAt(close + 1) != ':') {
                        return Optional.empty();
                    }
                    port = text.substring(close + 2);
                }
            } else if (colon >= 0) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (!(IPV4.matcher(host).matches() || IPV6.matcher(host).matches() || NAME.matcher(host).matches())) {
                return Optional.empty();
            }
            if (port == null) {
                return Optional.of(new HostPort(host, Optional.empty()));
            }
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65_535) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(host, Optional.of(Integer.parseInt(port))));
        }

        boolean isAddress() {
            return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
        }
    }

    /** Whether a request naming {@code hostHeader} is for this dashboard. */
    boolean allowsHost(String hostHeader) {
        return HostPort.parse(hostHeader)
                .filter(h -> h.isAddress() || h.host().equals("localhost") || allowedNames.contains(h.host()))
                .isPresent();
    }

    /**
     * Whether {@code origin} is this dashboard as named by {@code hostHeader}: the same host and port
     * (the scheme's default port when none is written), over http or https.
     */
    static boolean sameOrigin(String origin, String hostHeader) {
        Optional<HostPort> host = HostPort.parse(hostHeader);
        if (origin == null || origin.length() > 300 || host.isEmpty()) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            return false;
        }
        Optional<HostPort> from = HostPort.parse(uri.getRawAuthority());
        if (from.isEmpty()) {
            return false;
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        return from.get().host().equals(host.get().host())
                && from.get().port().orElse(defaultPort).equals(host.get().port().orElse(defaultPort));
    }
}
