package dev.heartbeat.core.validation;

import java.util.Optional;

/**
 * Why a message was rejected, as a machine-readable code. The codes are stored with each reject,
 * counted in metrics and shown on the dashboard; they are part of the public contract.
 */
public enum RejectReason {
    /** The value is not well-formed JSON. */
    MALFORMED_JSON("malformed_json"),
    /** The value's bytes are not valid UTF-8. */
    NOT_UTF8("not_utf8"),
    /** The value is larger than the largest message accepted (64 KiB). */
    TOO_LARGE("too_large"),
    /** The message has no value at all (a null record value, such as a tombstone). */
    NULL_MESSAGE("null_message"),
    /** The value is JSON, but not a JSON object. */
    NOT_AN_OBJECT("not_an_object"),
    MISSING_CUSTOMER_ID("missing_field:customer_id"),
    MISSING_TIMESTAMP("missing_field:timestamp"),
    MISSING_HEART_RATE("missing_field:heart_rate"),
    MISSING_STATE("missing_field:state"),
    /** customer_id is not a string of 1-50 characters from [A-Za-z0-9._:-]. */
    BAD_CUSTOMER_ID("bad_customer_id"),
    /** customer_id is "." or "..": allowed characters, but URLs resolve them as path steps. */
    RESERVED_CUSTOMER_ID("reserved_customer_id"),
    /** The message's partition key (Kafka's) is not its customer_id, or it has none: it may reach a second alert engine. */
    KEY_MISMATCH("key_mismatch"),
    /** timestamp is not an ISO-8601 string with a UTC offset. */
    BAD_TIMESTAMP("bad_timestamp"),
    /** timestamp lies further ahead of the consumer's clock than the allowed skew. */
    TIMESTAMP_IN_FUTURE("timestamp_in_future"),
    /** timestamp lies further back than the retention window. */
    TOO_OLD("too_old"),
    /** heart_rate is not a JSON number with an integral value. */
    NOT_AN_INTEGER("not_an_integer"),
    /** heart_rate is an integer outside 30-250 bpm. */
    HEART_RATE_OUT_OF_RANGE("heart_rate_out_of_range"),
    /** state is not one of rest, normal, exercise, anomaly. */
    UNKNOWN_STATE("unknown_state");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The machine-readable code, for example {@code missing_field:heart_rate}. */
    public String code() {
        return code;
    }

    public static Optional<RejectReason> fromCode(String code) {
        for (RejectReason reason : values()) {
            if (reason.code.equals(code)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
