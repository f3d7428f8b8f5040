package dev.heartbeat.core.validation;

import java.util.Objects;

/**
 * One field of an untrusted message as a decoder found it, before any judgement: absent, an explicit
 * null, text, a number (its literal, unparsed) or some other JSON value (boolean, object, array).
 * Adapters produce these; {@link ReadingValidator} decides what they mean.
 */
public sealed interface RawValue {

    RawValue ABSENT = new Absent();
    RawValue NULL = new Null();

    static RawValue text(String value) {
        return new Text(value);
    }

    static RawValue number(String literal) {
        return new Number(literal);
    }

    static RawValue number(long value) {
        return new Number(Long.toString(value));
    }

    static RawValue other(String jsonType) {
        return new Other(jsonType);
    }

    /** The field is not in the message. */
    record Absent() implements RawValue {
    }

    /** The field is present with the value null. */
    record Null() implements RawValue {
    }

    /** A string value. */
    record Text(String value) implements RawValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A numeric value, as written (for example {@code 72}, {@code 72.5}, {@code 1e999}). */
    record Number(String literal) implements RawValue {
        public Number {
            Objects.requireNonNull(literal, "literal");
        }
    }

    /** A value of another JSON type ({@code boolean}, {@code object}, {@code array}). */
    record Other(String jsonType) implements RawValue {
        public Other {
            Objects.requireNonNull(jsonType, "jsonType");
        }
    }
}
