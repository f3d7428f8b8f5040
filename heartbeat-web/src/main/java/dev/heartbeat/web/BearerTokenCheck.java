package dev.heartbeat.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Whether an {@code Authorization} header carries the configured bearer token. The comparison is
 * over SHA-256 digests with {@link MessageDigest#isEqual}, so its time does not depend on how many
 * leading characters of a guess are right. Without a configured token everything is accepted.
 */
final class BearerTokenCheck {

    private static final String SCHEME = "Bearer ";

    private final byte[] expected;

    BearerTokenCheck(Optional<String> token) {
        this.expected = token.map(BearerTokenCheck::digest).orElse(null);
    }

    boolean accepts(String authorization) {
        if (expected == null) {
            return true;
        }
        if (authorization == null || authorization.length() <= SCHEME.length() || authorization.length() > 300
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(authorization.substring(SCHEME.length()).trim()));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
