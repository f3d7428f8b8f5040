package dev.heartbeat.web;

import dev.heartbeat.core.port.PasswordHasher;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id, memory-hard, from Spring Security's crypto module over Bouncy Castle: 16-byte salt,
 * 32-byte hash, 19 MiB of memory, 2 passes, 1 lane (OWASP's first recommended setting). The encoded
 * hash ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}) carries its parameters, so raising
 * them later still checks the hashes stored before.
 */
public final class Argon2PasswordHasher implements PasswordHasher {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19_456, 2);

    @Override
    public String hash(CharSequence password) {
        return encoder.encode(password);
    }

    @Override
    public boolean matches(CharSequence password, String encodedHash) {
        return encodedHash != null && encoder.matches(password, encodedHash);
    }
}
