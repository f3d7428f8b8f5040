package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a newest-first page ended: the time and the tie-breaking key of its last item. Feeds page
 * by key (never by offset), so a page costs the same however deep it is. {@link #encode()} gives an
 * opaque URL-safe token; {@link #decode(String)} reads one back and refuses anything else.
 */
public record Cursor(Instant at, String key) {

    private static final int MAX_TOKEN_LENGTH = 200;

    public Cursor {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(key, "key");
        if (key.indexOf('|') >= 0 || key.length() > 100) {
            throw new InvalidValueException("a cursor key has at most 100 characters and no '|'");
        }
    }

    public String encode() {
        String plain = at.getEpochSecond() + "|" + at.getNano() + "|" + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code token}, or empty if it is not one this class encoded; never throws. */
    public static Optional<Cursor> decode(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            return Optional.of(new Cursor(at, parts[2]));
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
