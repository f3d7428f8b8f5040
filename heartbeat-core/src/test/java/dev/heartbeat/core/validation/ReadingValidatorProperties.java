package dev.heartbeat.core.validation;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;
import org.quicktheories.core.Gen;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/** Properties of {@link ReadingValidator}: total, and exact about what it accepts. */
class ReadingValidatorProperties implements WithQuickTheories {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final ValidationPolicy POLICY = ValidationPolicy.defaults();
    static final Pattern CUSTOMER_ID = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9._:-]{1,50}");
    final ReadingValidator validator = new ReadingValidator(POLICY, Clock.fixed(NOW, ZoneOffset.UTC));

    Gen<String> anyString() {
        return strings().allPossible().ofLengthBetween(0, 80)
                .mix(strings().basicLatinAlphabet().ofLengthBetween(0, 60), 50)
                .mix(strings().basicLatinAlphabet().ofLengthBetween(70_000, 70_001), 1);
    }

    Gen<String> customerIds() {
        Gen<String> valid = strings().betweenCodePoints('-', 'z').ofLengthBetween(1, 52)
                .mix(arbitrary().pick(".", "..", "...", ".a"), 10);
        return valid.mix(anyString(), 30);
    }

    Gen<String> timestamps() {
        Gen<String> nearNow = longs().between(-40L * 86_400, 40L * 86_400)
                .zip(integers().between(-14, 14), (seconds, hours) ->
                        NOW.plusSeconds(seconds).atOffset(ZoneOffset.ofHours(hours)).toString());
        Gen<String> edges = arbitrary().pick("2026-11-29T12:05:00Z", "2026-11-29T12:05:00.000001Z",
                "2026-10-30T12:00:00Z", "2026-10-30T11:59:59.999999Z", "2026-11-29T12:00:00", "+999999999-12-31T23:59:59Z");
        return nearNow.mix(edges, 20).mix(anyString(), 20);
    }

    Gen<String> numberLiterals() {
        Gen<String> integral = integers().between(-100, 400).map(i -> Integer.toString(i));
        Gen<String> odd = arbitrary().pick("72.0", "72.5", "1e2", "1.2E+2", "-0", "1e999999999", "1e-999999999",
                "9".repeat(400), "2.5e2", "250.0000001", "NaN", "", "--1", "0x1F");
        return integral.mix(odd, 30).mix(anyString(), 10);
    }

    Gen<RawValue> field(Gen<String> texts, Gen<String> numbers) {
        Gen<RawValue> special = arbitrary().pick(RawValue.ABSENT, RawValue.NULL, RawValue.other("boolean"),
                RawValue.other("object"), RawValue.other("array"));
        return texts.map(t -> RawValue.text(t)).mix(numbers.map(n -> RawValue.number(n)), 25).mix(special, 10);
    }

    Gen<RawReading> rawReadings() {
        Gen<RawValue> states = field(arbitrary().pick("rest", "normal", "exercise", "anomaly", "REST", "sleep", ""),
                numberLiterals());
        return field(customerIds(), numberLiterals())
                .zip(field(timestamps(), numberLiterals()), field(anyString(), numberLiterals()).mix(
                        numberLiterals().map(n -> RawValue.number(n)), 80), states, RawReading::new);
    }

    @Test
    void validationNeverThrowsOnAnyInput() {
        qt().withExamples(5000).forAll(rawReadings())
                .check(raw -> validator.validate(raw) != null);
    }

    @Test
    void validationAcceptsExactlyTheValidInputs() {
        qt().withExamples(5000).forAll(rawReadings())
                .check(raw -> (validator.validate(raw) instanceof ValidationResult.Valid) == isValid(raw));
    }

    @Test
    void theFastTimestampPathAgreesWithTheIsoFormatter() {
        Gen<String> canonical = longs().between(-2_000_000_000L, 4_000_000_000L)
                .zip(integers().between(0, 999_999_999), integers().between(0, 9), (seconds, nanos, digits) -> {
                    String text = Instant.ofEpochSecond(seconds).toString();
                    String fraction = digits == 0 ? "" : "." + String.format("%09d", nanos).substring(0, digits);
                    return text.substring(0, 19) + fraction + "Z";
                });
        Gen<String> nearMisses = arbitrary().pick("2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-04-31T10:00:00Z",
                "2026-11-29T24:00:00Z", "2026-11-29T23:60:00Z", "2026-11-29T23:59:60Z", "2026-11-29T10:00:00.Z",
                "2026-11-29T10:00:00.1234567890Z", "2026-11-29t10:00:00z", "2026-11-29T10:00Z", "0000-01-01T00:00:00Z",
                "2026-11-29T10:00:00+00:00", "2026-11-29T10:00:00.5-03:30", "2026-1a-29T10:00:00Z");
        qt().withExamples(3000).forAll(canonical.mix(nearMisses, 30)).check(text -> {
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                expected = null;
            }
            return Objects.equals(expected, ReadingValidator.parseTimestamp(text));
        });
    }

    @Test
    void validReadingsSurviveTheirRawFormUnchanged() {
        Gen<Reading> readings = strings().betweenCodePoints('0', '9').ofLengthBetween(1, 50)
                .zip(longs().between(-29L * 86_400_000_000L, 5L * 60_000_000L),
                        integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE),
                        arbitrary().enumValues(Activity.class),
                        (id, micros, bpm, activity) -> new Reading(CustomerId.of("c" + id.substring(1)),
                                NOW.plus(Duration.ofNanos(micros * 1000)), bpm, activity));
        qt().forAll(readings)
                .check(reading -> validator.validate(RawReading.of(reading)).equals(new ValidationResult.Valid(reading)));
    }

    /** The oracle: the validation rules of docs/design.md, written independently of the validator. */
    static boolean isValid(RawReading raw) {
        if (!(raw.customerId() instanceof RawValue.Text(String id)) || !CUSTOMER_ID.matcher(id).matches()) {
            return false;
        }
        if (!(raw.timestamp() instanceof RawValue.Text(String text))) {
            return false;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return false;
        }
        if (at.isAfter(NOW.plus(POLICY.maxFutureSkew())) || at.isBefore(NOW.minus(POLICY.maxAge()))) {
            return false;
        }
        if (!(raw.heartRate() instanceof RawValue.Number(String literal)) || literal.length() > 32) {
            return false;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(literal);
        } catch (NumberFormatException e) {
            return false;
        }
        if (value.compareTo(BigDecimal.valueOf(30)) < 0 || value.compareTo(BigDecimal.valueOf(250)) > 0
                || value.stripTrailingZeros().scale() > 0) {
            return false;
        }
        return raw.state() instanceof RawValue.Text(String state)
                && (state.equals("rest") || state.equals("normal") || state.equals("exercise") || state.equals("anomaly"));
    }

    @Test
    void undecodableMessagesAreAlwaysRejectedWithTheirOwnReason() {
        qt().forAll(arbitrary().enumValues(RejectReason.class), anyString())
                .check((reason, detail) -> validator.validate(new Undecodable(reason, detail))
                        .equals(new ValidationResult.Invalid(reason, detail)));
    }

    @Test
    void theTimeWindowIsInclusiveAtBothEnds() {
        Instant newest = NOW.plus(POLICY.maxFutureSkew());
        Instant oldest = NOW.minus(POLICY.maxAge());
        qt().forAll(arbitrary().pick(newest, oldest), arbitrary().pick(-1000L, 0L, 1000L))
                .check((edge, nanos) -> {
                    Instant at = edge.plusNanos(nanos);
                    boolean inside = !at.isAfter(newest) && !at.isBefore(oldest);
                    ValidationResult result = validator.validate(new RawReading(RawValue.text("a"),
                            RawValue.text(at.toString()), RawValue.number("60"), RawValue.text("rest")));
                    return (result instanceof ValidationResult.Valid) == inside;
                });
    }
}
