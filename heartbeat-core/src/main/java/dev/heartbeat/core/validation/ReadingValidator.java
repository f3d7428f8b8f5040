package dev.heartbeat.core.validation;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.ValidationResult.Invalid;
import dev.heartbeat.core.validation.ValidationResult.Valid;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an untrusted {@link RawMessage} into a {@link Reading} or a rejection with a
 * machine-readable {@link RejectReason}. Total: it never throws, whatever the input. Fields are
 * checked in message order (customer_id, timestamp, heart_rate, state); the first fault decides.
 */
public final class ReadingValidator {

    private static final BigDecimal MIN = BigDecimal.valueOf(Reading.MIN_HEART_RATE);
    private static final BigDecimal MAX = BigDecimal.valueOf(Reading.MAX_HEART_RATE);
    private static final int LONGEST_TIMESTAMP = 64;
    private static final int NOT_AN_INTEGER = -1;
    /**
     * The longest heart-rate literal read at all: enough for {@code 72}, {@code 7.2e1} or {@code 72.000000}, short
     * enough that no literal costs a big-number parse (a 65,000-digit one took 57 ms).
     */
    static final int MAX_NUMBER_LENGTH = 32;
    private static final int OUT_OF_RANGE = -2;

    private final ValidationPolicy policy;
    private final Clock clock;

    public ReadingValidator(ValidationPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ValidationResult validate(RawMessage message) {
        return switch (message) {
            case Undecodable undecodable -> new Invalid(undecodable.reason(), undecodable.detail());
            case RawReading raw -> validate(raw);
            case null -> new Invalid(RejectReason.NULL_MESSAGE, "no message");
        };
    }

    private ValidationResult validate(RawReading raw) {
        if (isMissing(raw.customerId())) {
            return missing(RejectReason.MISSING_CUSTOMER_ID, "customer_id", raw.customerId());
        }
        if (raw.customerId() instanceof RawValue.Text(String id) && CustomerId.isReserved(id)) {
            return new Invalid(RejectReason.RESERVED_CUSTOMER_ID,
                    "customer_id must not be \".\" or \"..\": URLs resolve them as path steps, so no view could show it");
        }
        if (!(raw.customerId() instanceof RawValue.Text(String id)) || !CustomerId.isValid(id)) {
            return new Invalid(RejectReason.BAD_CUSTOMER_ID,
                    "customer_id must be a string of 1-50 characters from [A-Za-z0-9._:-]");
        }

        if (isMissing(raw.timestamp())) {
            return missing(RejectReason.MISSING_TIMESTAMP, "timestamp", raw.timestamp());
        }
        Instant recordedAt = raw.timestamp() instanceof RawValue.Text(String text) ? parseTimestamp(text) : null;
        if (recordedAt == null) {
            return new Invalid(RejectReason.BAD_TIMESTAMP,
                    "timestamp must be an ISO-8601 string with a UTC offset, e.g. 2026-11-29T10:15:30.123Z");
        }
        Instant now = clock.instant();
        if (recordedAt.isAfter(now.plus(policy.maxFutureSkew()))) {
            return new Invalid(RejectReason.TIMESTAMP_IN_FUTURE,
                    "timestamp " + recordedAt + " is more than " + policy.maxFutureSkew() + " ahead of " + now);
        }
        if (recordedAt.isBefore(now.minus(policy.maxAge()))) {
            return new Invalid(RejectReason.TOO_OLD,
                    "timestamp " + recordedAt + " is older than the retention window of " + policy.maxAge());
        }

        if (isMissing(raw.heartRate())) {
            return missing(RejectReason.MISSING_HEART_RATE, "heart_rate", raw.heartRate());
        }
        if (raw.heartRate() instanceof RawValue.Number(String literal) && literal.length() > MAX_NUMBER_LENGTH) {
            return new Invalid(RejectReason.NOT_AN_INTEGER, "heart_rate is a number of " + literal.length()
                    + " characters; at most " + MAX_NUMBER_LENGTH + " are read");
        }
        int heartRate = raw.heartRate() instanceof RawValue.Number(String literal) ? parseHeartRate(literal) : NOT_AN_INTEGER;
        if (heartRate == NOT_AN_INTEGER) {
            return new Invalid(RejectReason.NOT_AN_INTEGER, "heart_rate must be a JSON number with an integral value");
        }
        if (heartRate == OUT_OF_RANGE) {
            return new Invalid(RejectReason.HEART_RATE_OUT_OF_RANGE, "heart_rate must be within "
                    + Reading.MIN_HEART_RATE + "-" + Reading.MAX_HEART_RATE + " bpm");
        }

        if (isMissing(raw.state())) {
            return missing(RejectReason.MISSING_STATE, "state", raw.state());
        }
        Optional<Activity> activity = raw.state() instanceof RawValue.Text(String state)
                ? Activity.fromWireName(state) : Optional.empty();
        if (activity.isEmpty()) {
            return new Invalid(RejectReason.UNKNOWN_STATE, "state must be one of rest, normal, exercise, anomaly");
        }
        return new Valid(new Reading(new CustomerId(id), recordedAt, heartRate, activity.get()));
    }

    private static boolean isMissing(RawValue value) {
        return value instanceof RawValue.Absent || value instanceof RawValue.Null;
    }

    private static Invalid missing(RejectReason reason, String field, RawValue value) {
        return new Invalid(reason, field + (value instanceof RawValue.Null ? " is null" : " is missing"));
    }

    /** The instant, or null when the text is not ISO-8601 with an offset. */
    static Instant parseTimestamp(String text) {
        if (text.length() > LONGEST_TIMESTAMP) {
            return null;
        }
        Instant canonical = parseCanonicalUtc(text);
        if (canonical != null) {
            return canonical;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, OffsetDateTime::from).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, parsed without the general formatter
     * (the most expensive step of validation); null for anything else, which the formatter then
     * decides. Gives exactly what the formatter would for every text it accepts.
     */
    private static Instant parseCanonicalUtc(String t) {
        int length = t.length();
        if (length < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(t, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value;
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (length != 20) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The heart rate, or {@link #NOT_AN_INTEGER} or {@link #OUT_OF_RANGE}; {@code literal} has at most {@link #MAX_NUMBER_LENGTH} characters. */
    static int parseHeartRate(String literal) {
        int small = parseSmallInteger(literal);
        if (small >= 0) {
            return small >= Reading.MIN_HEART_RATE && small <= Reading.MAX_HEART_RATE ? small : OUT_OF_RANGE;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException e) {
            return NOT_AN_INTEGER;
        }
        if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
            return OUT_OF_RANGE;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException fractional) {
            return NOT_AN_INTEGER;
        }
    }

    /** Plain digits (at most 9): their value; anything else: -1. The common case, without BigDecimal. */
    private static int parseSmallInteger(String literal) {
        int length = literal.length();
        if (length == 0 || length > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = literal.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
