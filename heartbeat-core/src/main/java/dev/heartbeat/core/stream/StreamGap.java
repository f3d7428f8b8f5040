package dev.heartbeat.core.stream;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Objects;

/**
 * Messages of a partition that were never read and never will be: offsets {@code fromOffset} up to, not
 * including, {@code toOffset}, found at {@code detectedAt}, and why. A {@link Reason#TOPIC_REPLACED} gap
 * starts at the old topic's stored position and has no known end ({@code toOffset == fromOffset}): the
 * old topic is gone, and with it how many messages it held past that position.
 */
public record StreamGap(StreamPartition partition, long fromOffset, long toOffset, Instant detectedAt, Reason reason,
                        String detail) {

    /** Why messages were skipped. */
    public enum Reason {
        /** The log start moved past the stored position (retention, or records deleted) before they were read. */
        REMOVED_BEFORE_READ("removed_before_read"),
        /** The topic was deleted and made again (another topic id); the operator allowed reading the new one. */
        TOPIC_REPLACED("topic_replaced");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The reason with this {@link #code()}. */
        public static Reason fromCode(String code) {
            for (Reason reason : values()) {
                if (reason.code.equals(code)) {
                    return reason;
                }
            }
            throw new InvalidValueException("no gap reason " + code);
        }
    }

    public StreamGap {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (fromOffset < 0 || toOffset < fromOffset || (reason == Reason.REMOVED_BEFORE_READ && toOffset == fromOffset)) {
            throw new InvalidValueException("a gap needs 0 <= from < to (or from = to for a replaced topic), got "
                    + fromOffset + ".." + toOffset);
        }
    }

    /** Messages known to be skipped (0 when the extent is unknown: a replaced topic). */
    public long messages() {
        return toOffset - fromOffset;
    }
}
