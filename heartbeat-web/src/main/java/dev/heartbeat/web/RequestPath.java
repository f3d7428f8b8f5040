package dev.heartbeat.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * A request path as the access gate judges it, whatever way it was spelled: percent-decoded once,
 * {@code ;parameters} dropped from every segment, empty and {@code .} segments dropped, {@code ..}
 * resolved (an encoded slash counts as a separator), in lower case, without a trailing slash.
 * {@code /API//Customers/;x=1/%2E/} and {@code /api/customers} are the same path here, so no spelling
 * the router accepts reaches a route the gate did not judge. A path that cannot be read (bad escapes,
 * raw non-ASCII, a backslash, a control character, {@code ..} above the root) is refused outright.
 */
final class RequestPath {

    static final int MAX_LENGTH = 2_048;

    private RequestPath() {
    }

    /** The normalized path of {@code raw} (the request URI's path, still encoded), or empty when it must be refused. */
    static Optional<String> normalize(String raw) {
        return resolve(raw, true);
    }

    /** As {@link #normalize}, with each segment's case kept (customer and alert ids are case-sensitive). */
    static Optional<String> normalizeKeepingCase(String raw) {
        return resolve(raw, false);
    }

    private static Optional<String> resolve(String raw, boolean lowerCase) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/' || raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.substring(1).split("/", -1)) {
            int parameters = segment.indexOf(';');
            Optional<String> decoded = decode(parameters < 0 ? segment : segment.substring(0, parameters));
            if (decoded.isEmpty()) {
                return Optional.empty();
            }
            // an encoded slash (alert ids carry them) is judged as the separator a lenient router may take it for
            for (String name : decoded.get().split("/", -1)) {
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.equals("..")) {
                    if (segments.isEmpty()) {
                        return Optional.empty();
                    }
                    segments.removeLast();
                    continue;
                }
                segments.addLast(lowerCase ? name.toLowerCase(Locale.ROOT) : name);
            }
        }
        return Optional.of("/" + String.join("/", segments));
    }

    /** One segment, percent-decoded as strict UTF-8; empty when malformed or when it holds a backslash or control character. */
    private static Optional<String> decode(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) > 0x7e) {
                return Optional.empty(); // a raw non-ASCII character in a request line is not a valid URI
            }
        }
        if (segment.indexOf('%') < 0) {
            return clean(segment);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= segment.length()) {
                return Optional.empty();
            }
            int high = Character.digit(segment.charAt(i + 1), 16);
            int low = Character.digit(segment.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            return clean(text);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> clean(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }
}
