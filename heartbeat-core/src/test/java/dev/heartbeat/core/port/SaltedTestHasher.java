package dev.heartbeat.core.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A salted SHA-256 standing in for the memory-hard hasher in core's tests, which must stay JDK-only
 * (the real one, Argon2id, is tested in the web module, and used by the PostgreSQL contract too).
 */
public final class SaltedTestHasher implements PasswordHasher {

    private final SecureRandom random = new SecureRandom();

    @Override
    public String hash(CharSequence password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return HexFormat.of().formatHex(salt) + "$" + digest(salt, password);
    }

    @Override
    public boolean matches(CharSequence password, String encodedHash) {
        int split = encodedHash.indexOf('$');
        byte[] salt = HexFormat.of().parseHex(encodedHash.substring(0, split));
        return MessageDigest.isEqual(digest(salt, password).getBytes(StandardCharsets.US_ASCII),
                encodedHash.substring(split + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(byte[] salt, CharSequence password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return HexFormat.of().formatHex(sha.digest(password.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
