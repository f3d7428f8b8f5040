package dev.heartbeat.core.validation;

import dev.heartbeat.core.reading.Reading;

import java.util.Objects;

/** The verdict on one raw message: a valid {@link Reading} or a rejection with its reason. */
public sealed interface ValidationResult {

    record Valid(Reading reading) implements ValidationResult {
        public Valid {
            Objects.requireNonNull(reading, "reading");
        }
    }

    record Invalid(RejectReason reason, String detail) implements ValidationResult {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
