package dev.heartbeat.core.validation;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ReadingValidatorTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    final ReadingValidator validator = new ReadingValidator(ValidationPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

    static RawReading raw(RawValue id, RawValue timestamp, RawValue heartRate, RawValue state) {
        return new RawReading(id, timestamp, heartRate, state);
    }

    static RawReading good() {
        return raw(RawValue.text("cust-00001"), RawValue.text("2026-11-29T11:59:59.5+01:00"),
                RawValue.number("72"), RawValue.text("rest"));
    }

    RejectReason reasonFor(RawMessage message) {
        return assertInstanceOf(ValidationResult.Invalid.class, validator.validate(message)).reason();
    }

    @Test
    void acceptsAWellFormedReadingAndNormalisesItsTimeToUtc() {
        ValidationResult result = validator.validate(good());
        Reading reading = assertInstanceOf(ValidationResult.Valid.class, result).reading();
        assertEquals(new Reading(CustomerId.of("cust-00001"), Instant.parse("2026-11-29T10:59:59.5Z"), 72, Activity.REST),
                reading);
    }

    @Test
    void acceptsAnIntegralValueWrittenAsADecimal() {
        RawReading decimal = raw(RawValue.text("a"), RawValue.text("2026-11-29T11:00:00Z"), RawValue.number("1.2e2"),
                RawValue.text("exercise"));
        assertEquals(120, assertInstanceOf(ValidationResult.Valid.class, validator.validate(decimal)).reading().heartRate());
    }

    @Test
    void rejectsMissingAndNullFieldsNamingTheField() {
        RawReading g = good();
        assertEquals(RejectReason.MISSING_CUSTOMER_ID, reasonFor(raw(RawValue.ABSENT, g.timestamp(), g.heartRate(), g.state())));
        assertEquals(RejectReason.MISSING_CUSTOMER_ID, reasonFor(raw(RawValue.NULL, g.timestamp(), g.heartRate(), g.state())));
        assertEquals(RejectReason.MISSING_TIMESTAMP, reasonFor(raw(g.customerId(), RawValue.ABSENT, g.heartRate(), g.state())));
        assertEquals(RejectReason.MISSING_HEART_RATE, reasonFor(raw(g.customerId(), g.timestamp(), RawValue.NULL, g.state())));
        assertEquals(RejectReason.MISSING_STATE, reasonFor(raw(g.customerId(), g.timestamp(), g.heartRate(), RawValue.ABSENT)));
        assertEquals("missing_field:heart_rate", RejectReason.MISSING_HEART_RATE.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "<script>", "é", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void rejectsBadCustomerIds(String id) {
        RawReading g = good();
        assertEquals(RejectReason.BAD_CUSTOMER_ID, reasonFor(raw(RawValue.text(id), g.timestamp(), g.heartRate(), g.state())));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void rejectsTheTwoIdsAUrlCannotCarryWithAReasonOfTheirOwn(String id) {
        RawReading g = good();
        assertEquals(RejectReason.RESERVED_CUSTOMER_ID, reasonFor(raw(RawValue.text(id), g.timestamp(), g.heartRate(), g.state())));
        assertEquals("reserved_customer_id", RejectReason.RESERVED_CUSTOMER_ID.code());
        org.junit.jupiter.api.Assertions.assertFalse(dev.heartbeat.core.reading.CustomerId.isValid(id));
        org.junit.jupiter.api.Assertions.assertThrows(dev.heartbeat.core.InvalidValueException.class,
                () -> dev.heartbeat.core.reading.CustomerId.of(id));
    }

    @Test
    void aHeartRateLiteralLongerThanAnyHeartRateNeedsIsRejectedBeforeItIsParsed() {
        RawReading g = good();
        String huge = "7".repeat(65_000);
        ValidationResult result = validator.validate(raw(g.customerId(), g.timestamp(), RawValue.number(huge), g.state()));
        ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, result);
        assertEquals(RejectReason.NOT_AN_INTEGER, invalid.reason());
        assertEquals("heart_rate is a number of 65000 characters; at most 32 are read", invalid.detail());
        assertEquals(RejectReason.NOT_AN_INTEGER,
                reasonFor(raw(g.customerId(), g.timestamp(), RawValue.number("72." + "0".repeat(30)), g.state())));
        // 32 characters are still read: 72 with 29 zeros after the point is 72
        assertInstanceOf(ValidationResult.Valid.class, validator.validate(
                raw(g.customerId(), g.timestamp(), RawValue.number("72." + "0".repeat(29)), g.state())));
    }

    @Test
    void rejectsACustomerIdThatIsNotAString() {
        RawReading g = good();
        assertEquals(RejectReason.BAD_CUSTOMER_ID, reasonFor(raw(RawValue.number("7"), g.timestamp(), g.heartRate(), g.state())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-29T11:00:00", "2026-11-29", "2026-13-01T00:00:00Z", "1764417600"})
    void rejectsTimestampsThatAreNotIsoWithAnOffset(String timestamp) {
        RawReading g = good();
        assertEquals(RejectReason.BAD_TIMESTAMP, reasonFor(raw(g.customerId(), RawValue.text(timestamp), g.heartRate(), g.state())));
    }

    @Test
    void rejectsTimestampsTooFarAheadOrBehind() {
        RawReading g = good();
        assertEquals(RejectReason.TIMESTAMP_IN_FUTURE,
                reasonFor(raw(g.customerId(), RawValue.text("2026-11-29T12:05:00.001Z"), g.heartRate(), g.state())));
        assertInstanceOf(ValidationResult.Valid.class,
                validator.validate(raw(g.customerId(), RawValue.text("2026-11-29T12:05:00Z"), g.heartRate(), g.state())));
        assertEquals(RejectReason.TOO_OLD,
                reasonFor(raw(g.customerId(), RawValue.text("2026-10-30T11:59:59Z"), g.heartRate(), g.state())));
        assertInstanceOf(ValidationResult.Valid.class,
                validator.validate(raw(g.customerId(), RawValue.text("2026-10-30T12:00:00Z"), g.heartRate(), g.state())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"72.5", "NaN", "0x48", "1e-999999999999", ""})
    void rejectsHeartRatesThatAreNotIntegers(String literal) {
        RawReading g = good();
        assertEquals(RejectReason.NOT_AN_INTEGER, reasonFor(raw(g.customerId(), g.timestamp(), RawValue.number(literal), g.state())));
    }

    @Test
    void rejectsHeartRatesOfOtherTypes() {
        RawReading g = good();
        assertEquals(RejectReason.NOT_AN_INTEGER, reasonFor(raw(g.customerId(), g.timestamp(), RawValue.text("72"), g.state())));
        assertEquals(RejectReason.NOT_AN_INTEGER, reasonFor(raw(g.customerId(), g.timestamp(), RawValue.other("boolean"), g.state())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"29", "251", "-72", "0", "1e999999999", "99999999999999999999999", "250.5"})
    void rejectsHeartRatesOutOfRange(String literal) {
        RawReading g = good();
        assertEquals(RejectReason.HEART_RATE_OUT_OF_RANGE,
                reasonFor(raw(g.customerId(), g.timestamp(), RawValue.number(literal), g.state())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sleeping", "REST", ""})
    void rejectsUnknownStates(String state) {
        RawReading g = good();
        assertEquals(RejectReason.UNKNOWN_STATE, reasonFor(raw(g.customerId(), g.timestamp(), g.heartRate(), RawValue.text(state))));
    }

    @Test
    void passesDecoderRejectionsThrough() {
        assertEquals(RejectReason.MALFORMED_JSON, reasonFor(new Undecodable(RejectReason.MALFORMED_JSON, "unexpected end")));
        assertEquals(RejectReason.NULL_MESSAGE, reasonFor(null));
    }

    @Test
    void reportsTheFirstFaultInFieldOrder() {
        RawReading allBad = raw(RawValue.text(" "), RawValue.text("x"), RawValue.number("1000"), RawValue.text("?"));
        assertEquals(RejectReason.BAD_CUSTOMER_ID, reasonFor(allBad));
    }
}
