package dev.heartbeat.core.port;

/**
 * A memory-hard password hash (an adapter supplies one from a maintained library; core never hashes
 * passwords itself). The encoded hash carries its own parameters and salt.
 */
public interface PasswordHasher {

    String hash(CharSequence password);

    boolean matches(CharSequence password, String encodedHash);
}
