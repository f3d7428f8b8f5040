package dev.heartbeat.kafka;

import dev.heartbeat.core.validation.RawMessage;
import dev.heartbeat.core.validation.RawReading;
import dev.heartbeat.core.validation.RawValue;
import dev.heartbeat.core.validation.RejectReason;
import dev.heartbeat.core.validation.Undecodable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class CustomerKeysTest {

    static final RawMessage AMY = new RawReading(RawValue.text("cust-amy"), RawValue.text("2026-12-04T10:00:00Z"),
            RawValue.number("72"), RawValue.text("rest"));

    static RejectReason reasonFor(String key) {
        RawMessage checked = CustomerKeys.checked(key == null ? null : key.getBytes(StandardCharsets.UTF_8), AMY);
        return checked == AMY ? null : assertInstanceOf(Undecodable.class, checked).reason();
    }

    @Test
    void onlyTheCustomerIdItselfIsTheRightKey() {
        assertSame(AMY, CustomerKeys.checked("cust-amy".getBytes(StandardCharsets.US_ASCII), AMY));
        for (String wrong : new String[] {"cust-amz", "cust-am", "cust-amyy", "", "CUST-AMY", "cust-amy\u00e9"}) {
            assertEquals(RejectReason.KEY_MISMATCH, reasonFor(wrong), wrong);
        }
        assertEquals(RejectReason.KEY_MISMATCH, reasonFor(null), "no key");
    }

    @Test
    void aMessageWithoutAValidIdIsLeftToValidation() {
        RawMessage noId = new RawReading(RawValue.number("7"), RawValue.text("t"), RawValue.number("72"), RawValue.text("rest"));
        assertSame(noId, CustomerKeys.checked(null, noId));
    }
}
