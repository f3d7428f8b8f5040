package dev.heartbeat.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An audit event as stored: its place in the chain ({@code seq}, one more than the record before it),
 * the hash of the record before it, and its own hash, a SHA-256 over the previous hash and every field.
 * Changing, inserting or removing a record breaks the chain at that point, which {@link #verify} finds.
 */
public record AuditRecord(long seq, AuditEvent event, String previousHash, String hash) {

    /** The previous hash of the very first record. */
    public static final String GENESIS = "0".repeat(64);

    public AuditRecord {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The record that follows {@code previous} (seq and hash), for {@code event}. */
    public static AuditRecord next(long previousSeq, String previousHash, AuditEvent event) {
        long seq = previousSeq + 1;
        return new AuditRecord(seq, event, previousHash, hashOf(seq, event, previousHash));
    }

    /** Whether this record's hash is the one its fields and previous hash give. */
    public boolean isIntact() {
        return hash.equals(hashOf(seq, event, previousHash));
    }

    static String hashOf(long seq, AuditEvent e, String previousHash) {
        String text = String.join("|", Long.toString(seq), e.at().toString(), e.actor(), e.role(), e.action(),
                e.customer().orElse(""), e.alert().orElse(""), e.client(), e.outcome(), previousHash);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    /** What checking a chain found: how many records, and the first that does not hold, if any. */
    public record Verification(long checked, long firstSeq, long lastSeq, java.util.Optional<String> broken) {
        public boolean intact() {
            return broken.isEmpty();
        }
    }

    /**
     * Checks records in {@code seq} order: each must be intact, follow the one before it (seq + 1,
     * previous hash = its hash). The first record checked is taken as it is (older ones may have
     * passed their retention), unless it is seq 1, whose previous hash must be {@link #GENESIS}.
     */
    public static final class Verifier {
        private long checked;
        private long firstSeq = -1;
        private long lastSeq = -1;
        private String lastHash;
        private String broken;

        /** Checks the next record; false once the chain is broken (later records are not looked at). */
        public boolean accept(AuditRecord record) {
            if (broken != null) {
                return false;
            }
            if (lastHash == null) {
                firstSeq = record.seq();
                if (record.seq() == 1 && !record.previousHash().equals(GENESIS)) {
                    broken = "record 1 does not start the chain";
                }
            } else if (record.seq() != lastSeq + 1) {
                broken = "records " + (lastSeq + 1) + (record.seq() - 1 > lastSeq + 1 ? "-" + (record.seq() - 1) : "")
                        + " are missing (the record after " + lastSeq + " is " + record.seq() + ")";
            } else if (!record.previousHash().equals(lastHash)) {
                broken = "record " + record.seq() + " does not follow record " + lastSeq + " (a record was changed or replaced)";
            }
            if (broken == null && !record.isIntact()) {
                broken = "record " + record.seq() + " (" + record.event().at() + ") was changed: its hash does not match its fields";
            }
            if (broken != null) {
                return false;
            }
            checked++;
            lastSeq = record.seq();
            lastHash = record.hash();
            return true;
        }

        public Verification result() {
            return new Verification(checked, firstSeq, lastSeq, java.util.Optional.ofNullable(broken));
        }
    }
}
