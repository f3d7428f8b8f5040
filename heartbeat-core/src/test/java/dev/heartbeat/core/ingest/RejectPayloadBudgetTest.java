package dev.heartbeat.core.ingest;

import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.validation.RejectReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RejectPayloadBudgetTest {

    static final StreamPartition P = new StreamPartition("heartbeat-data", 0);
    static final Instant MINUTE = Instant.parse("2026-12-04T10:00:00Z");

    static RejectedMessage reject(long offset, RejectReason reason) {
        return RejectedMessage.of(P, offset, reason, "bad", new byte[65_536], MINUTE);
    }

    /** How many of {@code n} rejects of {@code reason} at {@code at} keep their payload. */
    static int kept(RejectPayloadBudget budget, int n, RejectReason reason, Instant at) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            RejectedMessage stored = budget.apply(reject(i, reason), at);
            assertEquals(65_536, stored.payloadSize(), "the size is always told");
            kept += stored.payload().length == 65_536 ? 1 : 0;
        }
        return kept;
    }

    @Test
    void aHundredPayloadsPerReasonAndMinuteAndOneInAThousandBeyond() {
        RejectPayloadBudget budget = new RejectPayloadBudget();
        assertEquals(100 + 10, kept(budget, 10_100, RejectReason.MALFORMED_JSON, MINUTE.plusSeconds(30)));
        assertEquals(100, kept(budget, 500, RejectReason.NOT_UTF8, MINUTE.plusSeconds(59)), "each reason has its own budget");
        assertEquals(100, kept(budget, 100, RejectReason.MALFORMED_JSON, MINUTE.plusSeconds(60)), "a new minute, a new budget");
    }

    @Test
    void anEmptyPayloadCostsNothing() {
        RejectPayloadBudget budget = new RejectPayloadBudget();
        RejectedMessage tombstone = RejectedMessage.of(P, 1, RejectReason.NULL_MESSAGE, "none", null, MINUTE);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(tombstone, budget.apply(tombstone, MINUTE));
        }
        assertEquals(100, kept(budget, 1_000, RejectReason.NULL_MESSAGE, MINUTE), "and uses none of the budget");
    }
}
