package dev.heartbeat.kafka;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RawMessage;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message contract, example by example: what is written, and what every kind of value decodes to. */
class ReadingJsonCodecTest {

    static final String GOOD = "{\"customer_id\":\"cust-00001\",\"timestamp\":\"2026-11-29T10:15:30.123456Z\","
            + "\"heart_rate\":72,\"state\":\"rest\"}";

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static RawMessage decode(String text) {
        return ReadingJsonCodec.decode(utf8(text));
    }

    static Undecodable undecodable(RawMessage message, RejectReason reason) {
        Undecodable undecodable = assertInstanceOf(Undecodable.class, message);
        assertEquals(reason, undecodable.reason(), undecodable::detail);
        assertTrue(!undecodable.detail().isBlank() && undecodable.detail().length() <= 260, undecodable::detail);
        return undecodable;
    }

    @Test
    void encodesTheContractFieldsInOrderWithAMicrosecondUtcTimestamp() {
        Reading reading = new Reading(CustomerId.of("cust-00001"), Instant.parse("2026-11-29T10:15:30.123456789Z"), 72,
                Activity.REST);
        assertEquals(GOOD, new String(ReadingJsonCodec.encode(reading), StandardCharsets.UTF_8));
    }

    @Test
    void writesEveryTimestampWithSixFractionalDigits() {
        assertEquals("2026-11-29T10:15:30.000000Z", ReadingJsonCodec.timestamp(Instant.parse("2026-11-29T10:15:30Z")));
        assertEquals("1970-01-01T00:00:00.000001Z", ReadingJsonCodec.timestamp(Instant.ofEpochSecond(0, 1000)));
        assertEquals("0000-01-01T00:00:00.000000Z", ReadingJsonCodec.timestamp(Instant.parse("0000-01-01T00:00:00Z")));
        assertEquals("9999-12-31T23:59:59.999999Z", ReadingJsonCodec.timestamp(Instant.parse("9999-12-31T23:59:59.999999Z")));
        // outside 0000-9999 ISO-8601 needs a sign; the text must still parse back to the same instant
        for (Instant wide : new Instant[] {Instant.parse("+10000-01-01T00:00:00.5Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                LocalDateTime.MIN.toInstant(ZoneOffset.UTC), LocalDateTime.MAX.toInstant(ZoneOffset.UTC).minusNanos(999)}) {
            String text = ReadingJsonCodec.timestamp(wide);
            assertEquals(wide.truncatedTo(ChronoUnit.MICROS), OffsetDateTime.parse(text).toInstant(), text);
        }
        // beyond what a date-time can hold there is no ISO-8601 form: the text says so, a consumer rejects it
        assertEquals(Instant.MIN.toString(), ReadingJsonCodec.timestamp(Instant.MIN));
        assertEquals(Instant.MAX.toString(), ReadingJsonCodec.timestamp(Instant.MAX));
    }

    @Test
    void decodesAWellFormedMessageIntoItsRawFields() {
        assertEquals(new RawReading(RawValue.text("cust-00001"), RawValue.text("2026-11-29T10:15:30.123456Z"),
                RawValue.number("72"), RawValue.text("rest")), decode(GOOD));
    }

    @Test
    void keepsWhatTheFieldsAreWithoutJudgingThem() {
        assertEquals(new RawReading(RawValue.number("17"), RawValue.other("boolean"), RawValue.number("72.50e0"),
                        RawValue.other("object")),
                decode("{\"customer_id\":17,\"timestamp\":true,\"heart_rate\":72.50e0,\"state\":{\"a\":[1,{}]}}"));
        assertEquals(new RawReading(RawValue.NULL, RawValue.ABSENT, RawValue.other("array"), RawValue.text("é\n\"")),
                decode("{\"customer_id\":null,\"heart_rate\":[1,2],\"state\":\"\\u00e9\\n\\\"\"}"));
        assertEquals(new RawReading(RawValue.ABSENT, RawValue.ABSENT, RawValue.ABSENT, RawValue.ABSENT), decode("{}"));
    }

    @Test
    void ignoresUnknownFieldsWhateverTheyHold() {
        String withExtras = "{\"version\":2,\"customer_id\":\"c\",\"meta\":{\"deep\":[[[{\"x\":null}]]]},"
                + "\"timestamp\":\"t\",\"heart_rate\":60,\"state\":\"rest\",\"note\":\"h\\u00e9llo\",\"flag\":false}";
        assertEquals(new RawReading(RawValue.text("c"), RawValue.text("t"), RawValue.number("60"), RawValue.text("rest")),
                decode(withExtras));
    }

    @Test
    void keepsHugeAndOddNumberLiteralsForTheValidatorToJudge() {
        String digits = "9".repeat(5000);
        assertEquals(RawValue.number(digits), ((RawReading) decode("{\"heart_rate\":" + digits + "}")).heartRate());
        assertEquals(RawValue.number("-0"), ((RawReading) decode("{\"heart_rate\":-0}")).heartRate());
        assertEquals(RawValue.number("1e999999999"), ((RawReading) decode("{\"heart_rate\":1e999999999}")).heartRate());
    }

    @Test
    void aNullValueIsANullMessage() {
        undecodable(ReadingJsonCodec.decode((byte[]) null), RejectReason.NULL_MESSAGE);
    }

    @Test
    void aValueAbove64KibIsTooLargeAndOneOfExactly64KibIsRead() {
        String pad = " ".repeat(ReadingJsonCodec.MAX_MESSAGE_BYTES - GOOD.length());
        assertInstanceOf(RawReading.class, decode(GOOD + pad));
        Undecodable tooLarge = undecodable(decode(GOOD + pad + " "), RejectReason.TOO_LARGE);
        assertTrue(tooLarge.detail().contains("65537"), tooLarge.detail());
        // checked before parsing: the content does not matter
        undecodable(ReadingJsonCodec.decode(new byte[10_000_000]), RejectReason.TOO_LARGE);
    }

    @Test
    void theSourceKeepsAt64KibOfAValueAndItsTrueSize() {
        CappedValue.CappedDeserializer deserializer = new CappedValue.CappedDeserializer();
        java.nio.ByteBuffer huge = java.nio.ByteBuffer.allocate(10_000_000);
        huge.position(5); // a view into a larger buffer, as the consumer hands values over
        CappedValue capped = deserializer.deserialize("t", null, huge);
        assertEquals(List.of(ReadingJsonCodec.MAX_MESSAGE_BYTES, 9_999_995), List.of(capped.bytes().length, capped.size()));
        assertEquals(5, huge.position(), "the consumer's buffer is left as it was");
        Undecodable tooLarge = undecodable(ReadingJsonCodec.decode(capped), RejectReason.TOO_LARGE);
        assertTrue(tooLarge.detail().startsWith("the value is 9999995 bytes"), tooLarge.detail());

        String pad = " ".repeat(ReadingJsonCodec.MAX_MESSAGE_BYTES - GOOD.length());
        CappedValue whole = deserializer.deserialize("t", null, java.nio.ByteBuffer.wrap((GOOD + pad).getBytes(StandardCharsets.UTF_8)));
        assertTrue(whole.whole());
        assertInstanceOf(RawReading.class, ReadingJsonCodec.decode(whole), "64 KiB exactly is read");
        assertEquals(null, deserializer.deserialize("t", null, (java.nio.ByteBuffer) null));
        undecodable(ReadingJsonCodec.decode((CappedValue) null), RejectReason.NULL_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "FF",                     // never in UTF-8
            "80",                     // a continuation byte alone
            "C0AF",                   // overlong '/'
            "C180",                   // overlong
            "E08080",                 // overlong three-byte NUL
            "EDA080",                 // UTF-16 surrogate U+D800
            "EDBFBF",                 // surrogate U+DFFF
            "F4908080",               // above U+10FFFF
            "F880808080",             // five-byte form
            "E282",                   // truncated euro sign at the end
            "C3",                     // truncated two-byte sequence
            "C328",                   // bad continuation
    })
    void illFormedUtf8AnywhereIsNotUtf8(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        String[] templates = {"{\"customer_id\":\"%s\",\"timestamp\":\"t\",\"heart_rate\":60,\"state\":\"rest\"}",
                "{\"extra\":\"%s\"}", "{\"%s\":1}", "%s", "{} %s", "[\"%s\"]"};
        for (String template : templates) {
            String[] parts = template.split("%s", -1);
            byte[] message = concat(utf8(parts[0]), bad, utf8(parts[1]));
            Undecodable undecodable = undecodable(ReadingJsonCodec.decode(message), RejectReason.NOT_UTF8);
            assertTrue(undecodable.detail().contains("byte " + utf8(parts[0]).length), undecodable.detail());
        }
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void wellFormedMultiByteUtf8IsText() {
        assertEquals(RawValue.text("Zoë ✓ 😀"), ((RawReading) decode("{\"customer_id\":\"Zoë ✓ 😀\"}")).customerId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "\n",
            "hello", "{", "}", "{\"customer_id\":", "{\"customer_id\":\"cust-00001\"", "{\"customer_id\" \"x\"}",
            "{customer_id:\"x\"}", "{'customer_id':'x'}", "{\"heart_rate\":072}", "{\"heart_rate\":NaN}",
            "{\"heart_rate\":+1}", "{\"heart_rate\":1.}", "{\"heart_rate\":.5}", "{\"a\":1,}", "{\"a\":1 \"b\":2}",
            "{\"a\":\"tab\there\"}", "{\"a\":\"bad escape \\x\"}", "{\"a\":\"\\ud800\"x}",
            "[1,2", "\"unterminated", "tru", "nul",
            // one JSON value, then more: trailing content
            "{} {}", "{}x", "{}]", "{}}", "[] 1", "1 2", "{\"a\":1}garbage", "null null",
            // comments are not JSON
            "{/* c */}", "{} // c",
    })
    void textThatIsNotExactlyOneJsonValueIsMalformedJson(String text) {
        undecodable(decode(text), RejectReason.MALFORMED_JSON);
    }

    @Test
    void anUnescapedControlCharacterInAnIgnoredFieldIsMalformedToo() {
        undecodable(decode("{\"customer_id\":\"c\",\"extra\":\"a\u0001b\"}"), RejectReason.MALFORMED_JSON);
    }

    @Test
    void aByteOrderMarkOrUtf16IsMalformedJson() {
        undecodable(ReadingJsonCodec.decode(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(GOOD))),
                RejectReason.MALFORMED_JSON);
        undecodable(ReadingJsonCodec.decode(GOOD.getBytes(StandardCharsets.UTF_16LE)), RejectReason.MALFORMED_JSON);
        undecodable(ReadingJsonCodec.decode(GOOD.getBytes(StandardCharsets.UTF_16BE)), RejectReason.MALFORMED_JSON);
        undecodable(ReadingJsonCodec.decode(new byte[] {'{', 0, '}'}), RejectReason.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"customer_id\":\"c\"}]", "\"text\"", "72", "-1.5e3", "true", "false", "null", " [ ] "})
    void aJsonValueThatIsNotAnObjectIsNotAnObject(String text) {
        undecodable(decode(text), RejectReason.NOT_AN_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer_id", "timestamp", "heart_rate", "state"})
    void aContractFieldTwiceIsMalformedJson(String field) {
        String twice = GOOD.substring(0, GOOD.length() - 1) + ",\"" + field + "\":null}";
        Undecodable undecodable = undecodable(decode(twice), RejectReason.MALFORMED_JSON);
        assertTrue(undecodable.detail().contains(field), undecodable.detail());
    }

    @Test
    void duplicatesAmongIgnoredFieldsAreIgnored() {
        assertInstanceOf(RawReading.class, decode("{\"x\":1,\"x\":2,\"customer_id\":\"c\"}"));
    }

    @Test
    void deepNestingIsParsedWithoutExhaustingTheStack() {
        int depth = 30_000;
        String deep = "{\"extra\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"customer_id\":\"c\"}";
        assertEquals(RawValue.text("c"), ((RawReading) decode(deep)).customerId());
        undecodable(decode("[".repeat(depth)), RejectReason.MALFORMED_JSON);
        undecodable(decode("[".repeat(depth) + "]".repeat(depth)), RejectReason.NOT_AN_OBJECT);
    }
}
