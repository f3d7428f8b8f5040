package dev.heartbeat.core.reading;

import dev.heartbeat.core.InvalidValueException;

/**
 * A customer's identifier: 1 to 50 ASCII letters, digits and {@code . _ : -}, that is
 * {@code [A-Za-z0-9._:-]{1,50}}, except {@code .} and {@code ..}. The set is small on purpose: ids
 * travel as Kafka keys, URL path segments, log fields and HTML text, and none of those needs escaping
 * for it. The two exceptions are path steps in a URL (browsers, proxies and routers resolve
 * {@code /customers/..} to the parent before anyone sees the id), so no such customer could be reached.
 */
public record CustomerId(String value) implements Comparable<CustomerId> {

    public static final int MAX_LENGTH = 50;

    public CustomerId {
        if (isReserved(value)) {
            throw new InvalidValueException("customer id must not be \".\" or \"..\" (URLs resolve them as path steps), got "
                    + describe(value));
        }
        if (!isValid(value)) {
            throw new InvalidValueException("customer id must be 1-" + MAX_LENGTH
                    + " characters from [A-Za-z0-9._:-], got " + describe(value));
        }
    }

    public static CustomerId of(String value) {
        return new CustomerId(value);
    }

    /** Whether {@code value} is {@code .} or {@code ..}, made of allowed characters but unroutable. */
    public static boolean isReserved(String value) {
        return ".".equals(value) || "..".equals(value);
    }

    /** Whether {@code value} is a valid customer id; never throws. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || isReserved(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }

    static String describe(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 60 ? "a string of " + value.length() + " characters" : '"' + value + '"';
    }

    @Override
    public int compareTo(CustomerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
