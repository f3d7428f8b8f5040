package dev.heartbeat.kafka;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RawMessage;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * The message contract on the wire: a reading is the UTF-8 JSON object
 * {@code {"customer_id":"cust-00001","timestamp":"2026-11-29T10:15:30.123456Z","heart_rate":72,"state":"rest"}}.
 *
 * <p>{@link #encode} writes exactly that (fields in that order, the timestamp in UTC with six
 * fractional digits, which is the precision a {@link Reading} keeps).
 *
 * <p>{@link #decode} is strict and total: for any byte array it returns a {@link RawMessage} and never
 * throws. It only finds the fields; whether they make a reading is {@code ReadingValidator}'s call.
 * In order, a value is {@code null_message} when absent (a tombstone), {@code too_large} above
 * {@value #MAX_MESSAGE_BYTES} bytes (checked before any parsing), {@code not_utf8} when its bytes are
 * not well-formed UTF-8 (checked over the whole value, not only where Jackson looks),
 * {@code malformed_json} when it is not exactly one JSON value (trailing content included; also a
 * leading byte-order mark, since RFC 8259 forbids senders to add one), and {@code not_an_object}
 * when that value is not an object. Extra fields are ignored. A <em>duplicate</em> of one of the four
 * contract fields makes the message {@code malformed_json}: RFC 8259 leaves the meaning of duplicate
 * names open and parsers disagree (first wins, last wins), so which heart rate a message carries
 * would depend on who reads it; duplicates among ignored extra fields are not looked for.
 *
 * <p>Jackson's own guards against hostile input (nesting depth, number and name length) are raised
 * to the message size limit: every valid JSON text of at most 64 KiB is parsed, none is called
 * malformed for its shape. Skipping nested values is iterative in Jackson, so depth costs no stack.
 */
final class ReadingJsonCodec {

    /** The largest value decoded; larger ones are rejected unread. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    static final String CUSTOMER_ID = "customer_id";
    static final String TIMESTAMP = "timestamp";
    static final String HEART_RATE = "heart_rate";
    static final String STATE = "state";

    private static final int MAX_DETAIL = 200;
    private static final SerializableString CUSTOMER_ID_NAME = new SerializedString(CUSTOMER_ID);
    private static final SerializableString TIMESTAMP_NAME = new SerializedString(TIMESTAMP);
    private static final SerializableString HEART_RATE_NAME = new SerializedString(HEART_RATE);
    private static final SerializableString STATE_NAME = new SerializedString(STATE);

    /** Years outside 0000-9999 need a sign and more digits; the JDK writes those (rare) ones. */
    private static final DateTimeFormatter WIDE_YEARS = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true)
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private static final Instant MIN_DATE_TIME = LocalDateTime.MIN.toInstant(ZoneOffset.UTC);
    private static final Instant MAX_DATE_TIME = LocalDateTime.MAX.toInstant(ZoneOffset.UTC);

    private static final JsonFactory JSON = JsonFactory.builder()
            // field names come from untrusted senders: canonicalised (cheap lookups) but not String.intern()ed
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_MESSAGE_BYTES)
                    .maxNumberLength(MAX_MESSAGE_BYTES)
                    .maxNameLength(MAX_MESSAGE_BYTES)
                    .maxStringLength(MAX_MESSAGE_BYTES)
                    .build())
            .build();

    private ReadingJsonCodec() {
    }

    /** The message value of {@code reading}. */
    static byte[] encode(Reading reading) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeFieldName(CUSTOMER_ID_NAME);
            json.writeString(reading.customerId().value());
            json.writeFieldName(TIMESTAMP_NAME);
            json.writeString(timestamp(reading.recordedAt()));
            json.writeFieldName(HEART_RATE_NAME);
            json.writeNumber(reading.heartRate());
            json.writeFieldName(STATE_NAME);
            json.writeString(reading.activity().wireName());
            json.writeEndObject();
        } catch (IOException e) {
            // writing to memory cannot fail; if it does, the invariant is broken
            throw new HeartbeatException("could not encode " + reading, e);
        }
        return out.toByteArray();
    }

    /**
     * ISO-8601 in UTC with microseconds, e.g. {@code 2026-11-29T10:15:30.123456Z}. The few instants
     * beyond year ±999,999,999 have no ISO-8601 date-time; they are written as {@link Instant#toString()}
     * does, and a consumer rejects them as {@code bad_timestamp}.
     */
    static String timestamp(Instant at) {
        if (at.isBefore(MIN_DATE_TIME) || at.isAfter(MAX_DATE_TIME)) {
            return at.toString();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return WIDE_YEARS.format(t.atOffset(ZoneOffset.UTC));
        }
        char[] c = new char[27];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** What a value the source kept (at most {@value #MAX_MESSAGE_BYTES} bytes of it) holds; never throws. */
    static RawMessage decode(CappedValue value) {
        if (value != null && !value.whole()) {
            return tooLarge(value.size());
        }
        return decode(value == null ? null : value.bytes());
    }

    private static RawMessage tooLarge(int size) {
        return new Undecodable(RejectReason.TOO_LARGE,
                "the value is " + size + " bytes, more than the " + MAX_MESSAGE_BYTES + " accepted");
    }

    /** What {@code value} holds; never throws. */
    static RawMessage decode(byte[] value) {
        if (value == null) {
            return new Undecodable(RejectReason.NULL_MESSAGE, "the record has no value (a tombstone or an empty send)");
        }
        if (value.length > MAX_MESSAGE_BYTES) {
            return tooLarge(value.length);
        }
        int invalid = Utf8.firstInvalidByte(value);
        if (invalid >= 0) {
            return new Undecodable(RejectReason.NOT_UTF8, String.format(
                    "ill-formed UTF-8 at byte %d (0x%02X)", invalid, value[invalid] & 0xFF));
        }
        if (value.length >= 3 && (value[0] & 0xFF) == 0xEF && (value[1] & 0xFF) == 0xBB && (value[2] & 0xFF) == 0xBF) {
            return malformed("the value starts with a byte-order mark");
        }
        for (int i = 0; i < Math.min(4, value.length); i++) {
            // Jackson would take zero bytes up front for UTF-16 or UTF-32; in UTF-8 JSON they are never valid
            if (value[i] == 0) {
                return malformed("NUL byte at byte " + i);
            }
        }
        try (JsonParser json = JSON.createParser(value)) {
            return decode(json);
        } catch (JsonProcessingException e) {
            return malformed(describe(e));
        } catch (IOException | RuntimeException e) {
            // not expected from an in-memory parse; still a bad message, never a crashed loop
            return malformed("could not be parsed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static RawMessage decode(JsonParser json) throws IOException {
        JsonToken first = json.nextToken();
        if (first == null) {
            return malformed("the value is empty or only whitespace");
        }
        if (first != JsonToken.START_OBJECT) {
            json.skipChildren();
            if (json.nextToken() != null) {
                return trailing(json);
            }
            return new Undecodable(RejectReason.NOT_AN_OBJECT, "the value is a JSON " + typeOf(first) + ", not an object");
        }
        RawValue customerId = RawValue.ABSENT;
        RawValue timestamp = RawValue.ABSENT;
        RawValue heartRate = RawValue.ABSENT;
        RawValue state = RawValue.ABSENT;
        boolean seenCustomerId = false;
        boolean seenTimestamp = false;
        boolean seenHeartRate = false;
        boolean seenState = false;
        String name;
        while ((name = json.nextFieldName()) != null) {
            JsonToken token = json.nextToken();
            switch (name) {
                case CUSTOMER_ID -> {
                    if (seenCustomerId) {
                        return duplicate(name);
                    }
                    seenCustomerId = true;
                    customerId = raw(json, token);
                }
                case TIMESTAMP -> {
                    if (seenTimestamp) {
                        return duplicate(name);
                    }
                    seenTimestamp = true;
                    timestamp = raw(json, token);
                }
                case HEART_RATE -> {
                    if (seenHeartRate) {
                        return duplicate(name);
                    }
                    seenHeartRate = true;
                    heartRate = raw(json, token);
                }
                case STATE -> {
                    if (seenState) {
                        return duplicate(name);
                    }
                    seenState = true;
                    state = raw(json, token);
                }
                default -> skip(json, token);
            }
        }
        if (json.nextToken() != null) {
            return trailing(json);
        }
        return new RawReading(customerId, timestamp, heartRate, state);
    }

    private static RawValue raw(JsonParser json, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> RawValue.text(json.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> RawValue.number(json.getText());
            case VALUE_NULL -> RawValue.NULL;
            case VALUE_TRUE, VALUE_FALSE -> RawValue.other("boolean");
            case START_OBJECT -> {
                json.skipChildren();
                yield RawValue.other("object");
            }
            case START_ARRAY -> {
                json.skipChildren();
                yield RawValue.other("array");
            }
            default -> RawValue.other(token.name());
        };
    }

    private static void skip(JsonParser json, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            // reading the text makes Jackson check it (control characters, escapes) as it would a known field
            json.getText();
        } else {
            json.skipChildren();
        }
    }

    private static String typeOf(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static Undecodable duplicate(String field) {
        return malformed("the field \"" + field + "\" appears more than once");
    }

    private static Undecodable trailing(JsonParser json) {
        return malformed("content after the JSON value, at byte " + json.currentLocation().getByteOffset());
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        return at >= 0 ? message + " (at byte " + at + ")" : message;
    }

    private static Undecodable malformed(String detail) {
        String cut = detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
        return new Undecodable(RejectReason.MALFORMED_JSON, cut);
    }
}
