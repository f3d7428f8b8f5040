package dev.heartbeat.core.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API token of a person, for scripts: what is stored of it (never the secret, only its hash).
 *
 * @param id        the public part, shown in lists and audit records
 * @param username  whose token it is: it acts with that account's role, while the account is enabled
 * @param label     what it is for
 * @param revokedAt when it stopped working, if it did
 */
public record ApiToken(String id, String username, String label, Instant createdAt, Optional<Instant> revokedAt) {

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
