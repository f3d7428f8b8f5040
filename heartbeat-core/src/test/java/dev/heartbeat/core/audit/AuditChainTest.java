package dev.heartbeat.core.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier names the first record that does not hold: changed, replaced, missing, or a false start. */
class AuditChainTest {

    static List<AuditRecord> chain(int n) {
        List<AuditRecord> records = new ArrayList<>();
        String previous = AuditRecord.GENESIS;
        for (int i = 0; i < n; i++) {
            AuditRecord r = AuditRecord.next(i, previous, new AuditEvent(Instant.parse("2026-12-01T08:00:00Z").plusSeconds(i),
                    "ana", "viewer", "customer.history", Optional.of("cust-" + i), Optional.empty(), "127.0.0.1", "allowed"));
            records.add(r);
            previous = r.hash();
        }
        return records;
    }

    static AuditRecord.Verification verify(List<AuditRecord> records) {
        AuditRecord.Verifier verifier = new AuditRecord.Verifier();
        records.forEach(verifier::accept);
        return verifier.result();
    }

    @Test
    void anUntouchedChainVerifies() {
        AuditRecord.Verification v = verify(chain(10));
        assertTrue(v.intact());
        assertEquals(10, v.checked());
    }

    @Test
    void aChangedFieldIsNamed() {
        List<AuditRecord> records = chain(10);
        AuditRecord r = records.get(4);
        AuditEvent e = r.event();
        records.set(4, new AuditRecord(r.seq(), new AuditEvent(e.at(), "mallory", e.role(), e.action(), e.customer(), e.alert(),
                e.client(), e.outcome()), r.previousHash(), r.hash()));
        AuditRecord.Verification v = verify(records);
        assertFalse(v.intact());
        assertTrue(v.broken().orElseThrow().startsWith("record 5 ("), v.broken().orElseThrow());
        assertEquals(4, v.checked());
    }

    @Test
    void aRecordRewrittenWithAFreshHashBreaksTheNextLink() {
        List<AuditRecord> records = chain(10);
        AuditRecord r = records.get(4);
        AuditEvent e = r.event();
        AuditEvent forged = new AuditEvent(e.at(), "mallory", e.role(), e.action(), e.customer(), e.alert(), e.client(), e.outcome());
        records.set(4, AuditRecord.next(4, r.previousHash(), forged));
        assertTrue(verify(records).broken().orElseThrow().startsWith("record 6 does not follow record 5"));
    }

    @Test
    void aMissingRecordIsNamedAndAChainMayStartAfterRetention() {
        List<AuditRecord> records = chain(10);
        records.remove(6);
        assertTrue(verify(records).broken().orElseThrow().startsWith("records 7 are missing"), verify(records).toString());
        List<AuditRecord> retained = chain(10).subList(3, 10);
        AuditRecord.Verification v = verify(retained);
        assertTrue(v.intact(), "older records passed their retention: the chain is checked from the first kept");
        assertEquals(4, v.firstSeq());
        List<AuditRecord> falseStart = new ArrayList<>(chain(3));
        AuditRecord first = falseStart.getFirst();
        falseStart.set(0, new AuditRecord(1, first.event(), "f".repeat(64), AuditRecord.hashOf(1, first.event(), "f".repeat(64))));
        assertEquals(Optional.of("record 1 does not start the chain"), verify(falseStart).broken());
    }
}
