package dev.heartbeat.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.RawMessage;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;
import dev.heartbeat.core.validation.ValidationPolicy;
import dev.heartbeat.core.validation.ValidationResult;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Properties of the JSON codec: total on any bytes, exact on what it writes, strict on UTF-8. */
class ReadingJsonCodecProperties implements WithQuickTheories {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Set<RejectReason> DECODER_REASONS = EnumSet.of(RejectReason.NULL_MESSAGE, RejectReason.TOO_LARGE,
            RejectReason.NOT_UTF8, RejectReason.MALFORMED_JSON, RejectReason.NOT_AN_OBJECT);
    static final List<Character> ID_CHARS = "ABCXYZabcxyz0123456789._:-".chars().mapToObj(c -> (char) c).toList();
    static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"customer_id\"", "\"timestamp\"",
            "\"heart_rate\"", "\"state\"", "\"x\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\", "\"", "72", "-0.5e3",
            "1e999", "null", "true", "false", " ", "\n", "nul", "\"2026-11-29T12:00:00Z\"", "\"rest\"", "é", "\u0001");

    final ReadingValidator validator = new ReadingValidator(ValidationPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

    Gen<byte[]> anyBytes() {
        Gen<byte[]> uniform = Generate.byteArrays(integers().between(0, 200),
                Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        // mostly the bytes that make or break UTF-8: ASCII, continuation bytes, lead bytes
        Gen<byte[]> utf8ish = Generate.byteArrays(integers().between(0, 40),
                Generate.bytes((byte) 0x20, (byte) 0x7E, (byte) 'a').mix(Generate.bytes((byte) 0x80, (byte) 0xFF, (byte) 0x80), 60));
        return uniform.mix(utf8ish, 50).mix(utf8Boundaries(), 60);
    }

    /**
     * Byte strings built from the boundary cases of UTF-8: lead bytes at the edges of their ranges
     * (C1/C2, E0, ED, F0, F4, F5) followed by continuation-range edges (7F/80, 8F/90, 9F/A0, BF/C0),
     * between ASCII and correctly encoded code points.
     */
    Gen<byte[]> utf8Boundaries() {
        List<Integer> leads = List.of(0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1,
                0xF3, 0xF4, 0xF5, 0xFF);
        List<Integer> trails = List.of(0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0);
        Gen<byte[]> edgeChunk = Generate.pick(leads).zip(lists().of(Generate.pick(trails)).ofSizeBetween(0, 3), (lead, rest) -> {
            byte[] chunk = new byte[1 + rest.size()];
            chunk[0] = (byte) (int) lead;
            for (int i = 0; i < rest.size(); i++) {
                chunk[i + 1] = (byte) (int) rest.get(i);
            }
            return chunk;
        });
        Gen<byte[]> codePoint = integers().between(0, Character.MAX_CODE_POINT)
                .assuming(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(cp -> new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        Gen<byte[]> ascii = Generate.pick(List.of("a", "{", "\"", " ")).map(t -> t.getBytes(StandardCharsets.UTF_8));
        return lists().of(edgeChunk.mix(codePoint, 40).mix(ascii, 20)).ofSizeBetween(0, 6).map(chunks -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    Gen<Reading> validReadings() {
        Gen<String> ids = lists().of(Generate.pick(ID_CHARS)).ofSizeBetween(1, CustomerId.MAX_LENGTH)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()))
                .assuming(id -> !CustomerId.isReserved(id)); // "." and ".." are rejects of their own
        Gen<Instant> inWindow = longs().between(-ValidationPolicy.DEFAULT_MAX_AGE.toNanos() / 1000,
                ValidationPolicy.DEFAULT_MAX_FUTURE_SKEW.toNanos() / 1000).map(micros -> NOW.plus(Duration.ofNanos(micros * 1000)));
        return ids.zip(inWindow, integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE),
                Generate.enumValues(Activity.class),
                (id, at, bpm, activity) -> new Reading(CustomerId.of(id), at, bpm, activity));
    }

    /** Valid messages damaged by a few edits: the inputs most likely to find a crack. */
    Gen<byte[]> damagedMessages() {
        Gen<int[]> edits = Generate.intArrays(integers().between(1, 6), integers().between(0, Integer.MAX_VALUE));
        return validReadings().zip(edits, (reading, ops) -> {
            byte[] bytes = ReadingJsonCodec.encode(reading);
            for (int op : ops) {
                bytes = edit(bytes, op);
            }
            return bytes;
        });
    }

    static byte[] edit(byte[] bytes, int op) {
        if (bytes.length == 0) {
            return new byte[] {(byte) op};
        }
        int at = (op >>> 8) % bytes.length;
        byte value = (byte) op;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (op & 3) {
            case 0 -> { // replace a byte
                byte[] copy = bytes.clone();
                copy[at] = value;
                return copy;
            }
            case 1 -> { // insert a byte
                out.write(bytes, 0, at);
                out.write(value);
                out.write(bytes, at, bytes.length - at);
            }
            case 2 -> out.write(bytes, 0, at); // truncate
            default -> { // drop a byte
                out.write(bytes, 0, at);
                out.write(bytes, at + 1, bytes.length - at - 1);
            }
        }
        return out.toByteArray();
    }

    Gen<byte[]> tokenSoup() {
        return lists().of(Generate.pick(TOKENS)).ofSizeBetween(0, 30)
                .map(tokens -> String.join("", tokens).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodingNeverThrowsAndOnlyUsesDecoderReasons() {
        qt().withExamples(20_000)
                .forAll(anyBytes().mix(damagedMessages(), 40).mix(tokenSoup(), 30))
                .check(bytes -> {
                    RawMessage message = ReadingJsonCodec.decode(bytes);
                    return message instanceof RawReading
                            || (message instanceof Undecodable undecodable && DECODER_REASONS.contains(undecodable.reason()));
                });
    }

    @Test
    void encodeDecodeValidateRoundTripsEveryValidReading() {
        qt().withExamples(5_000).forAll(validReadings())
                .check(reading -> validator.validate(ReadingJsonCodec.decode(ReadingJsonCodec.encode(reading)))
                        .equals(new ValidationResult.Valid(reading)));
    }

    @Test
    void theWrittenTimestampIsTheReadingsInstantForAnyDateTime() {
        Gen<Instant> any = longs().between(-300_000_000_000L, 300_000_000_000L)
                .zip(integers().between(0, 999_999), (seconds, micros) -> Instant.ofEpochSecond(seconds, micros * 1000L));
        qt().withExamples(5_000).forAll(any)
                .check(at -> OffsetDateTime.parse(ReadingJsonCodec.timestamp(at)).toInstant().equals(at));
    }

    @Test
    void everyProperPrefixOfAMessageIsMalformedJson() {
        qt().withExamples(2_000).forAll(validReadings(), integers().between(0, 1000))
                .check((reading, cut) -> {
                    byte[] message = ReadingJsonCodec.encode(reading);
                    byte[] prefix = java.util.Arrays.copyOf(message, cut % message.length);
                    return ReadingJsonCodec.decode(prefix) instanceof Undecodable u && u.reason() == RejectReason.MALFORMED_JSON;
                });
    }

    @Test
    void notUtf8IsExactlyWhatTheJdksStrictDecoderRefuses() {
        qt().withExamples(20_000).forAll(anyBytes())
                .check(bytes -> (ReadingJsonCodec.decode(bytes) instanceof Undecodable u && u.reason() == RejectReason.NOT_UTF8)
                        == !isStrictUtf8(bytes));
    }

    static boolean isStrictUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void anyTextInAContractFieldComesBackExactlyAsWritten() {
        Gen<String> texts = strings().allPossible().ofLengthBetween(0, 60)
                .mix(strings().basicLatinAlphabet().ofLengthBetween(0, 60), 30);
        qt().withExamples(5_000).forAll(texts, texts)
                .check((id, state) -> {
                    byte[] message = written(id, state);
                    return ReadingJsonCodec.decode(message) instanceof RawReading raw
                            && raw.customerId().equals(RawValue.text(id)) && raw.state().equals(RawValue.text(state))
                            && raw.timestamp().equals(RawValue.ABSENT) && raw.heartRate().equals(RawValue.number("72"));
                });
    }

    /** A message written by Jackson's generator, independently of the codec's encoder. */
    static byte[] written(String customerId, String state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("extra", customerId);
            json.writeStringField("customer_id", customerId);
            json.writeNumberField("heart_rate", 72);
            json.writeStringField("state", state);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void aDecodedReadingDependsNeitherOnFieldOrderNorOnIgnoredFields() {
        qt().withExamples(2_000).forAll(validReadings(), longs().all(), integers().between(0, 4))
                .check((reading, order, slot) -> {
                    String message = new String(ReadingJsonCodec.encode(reading), StandardCharsets.UTF_8);
                    // no value of a valid reading contains a comma, so the fields split cleanly
                    List<String> fields = new ArrayList<>(List.of(message.substring(1, message.length() - 1).split(",")));
                    java.util.Collections.shuffle(fields, new java.util.Random(order));
                    fields.add(slot, "\"ignored\":{\"nested\":" + ReadingJsonCodecTest.GOOD + ",\"list\":[1,\"two\",null]}");
                    byte[] rearranged = ("{" + String.join(",", fields) + "}").getBytes(StandardCharsets.UTF_8);
                    RawMessage original = ReadingJsonCodec.decode(ReadingJsonCodec.encode(reading));
                    return original instanceof RawReading && ReadingJsonCodec.decode(rearranged).equals(original);
                });
    }
}
