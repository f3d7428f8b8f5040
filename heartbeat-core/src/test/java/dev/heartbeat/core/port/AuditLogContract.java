package dev.heartbeat.core.port;

import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every audit log promises: each event becomes the chain's next record, also when many are
 * appended at once; records are found newest first by person, customer, action and time, page by page;
 * the chain, read in order, verifies. Run by the in-memory log and by the PostgreSQL one.
 */
public abstract class AuditLogContract {

    protected static final Instant T0 = Instant.parse("2026-12-01T08:00:00.123456789Z");
    protected AuditLog log;

    /** A log with nothing in it. */
    protected abstract AuditLog emptyLog();

    @BeforeEach
    void setUp() {
        log = emptyLog();
    }

    protected static AuditEvent event(int i, String actor, String action, String customer) {
        return new AuditEvent(T0.plusSeconds(i), actor, "viewer", action, Optional.ofNullable(customer), Optional.empty(),
                "10.0.0." + (i % 250), "allowed");
    }

    protected static AuditRecord.Verification verify(AuditLog log) {
        AuditRecord.Verifier verifier = new AuditRecord.Verifier();
        log.forEachInOrder(verifier::accept);
        return verifier.result();
    }

    static AuditLog.Filter all() {
        return new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    @Test
    void eachEventIsTheChainsNextRecord() {
        AuditRecord first = log.append(event(0, "ana", "customer.history", "cust-00001"));
        AuditRecord second = log.append(event(1, "bo", "alert.acknowledge", null));
        assertEquals(1, first.seq());
        assertEquals(AuditRecord.GENESIS, first.previousHash());
        assertEquals(2, second.seq());
        assertEquals(first.hash(), second.previousHash());
        assertTrue(first.isIntact() && second.isIntact());
        assertEquals(T0.truncatedTo(java.time.temporal.ChronoUnit.MICROS), first.event().at(), "kept to the microsecond");

        List<AuditRecord> stored = log.find(all(), new PageRequest(10, Optional.empty())).items();
        assertEquals(List.of(second, first), stored, "newest first, exactly as appended");
        AuditRecord.Verification verification = verify(log);
        assertTrue(verification.intact(), verification.toString());
        assertEquals(2, verification.checked());
    }

    @Test
    void recordsAreFoundByPersonCustomerActionAndTimePageByPage() {
        for (int i = 0; i < 30; i++) {
            log.append(event(i, i % 2 == 0 ? "ana" : "bo", i % 3 == 0 ? "customer.readings" : "customer.history",
                    "cust-" + (i % 5)));
        }
        AuditLog.Filter ana = new AuditLog.Filter(Optional.of("ana"), Optional.empty(), Optional.empty(), Instant.EPOCH, T0.plusSeconds(3600));
        assertEquals(15, log.find(ana, new PageRequest(100, Optional.empty())).items().size());
        AuditLog.Filter cust = new AuditLog.Filter(Optional.empty(), Optional.of("cust-2"), Optional.of("customer.history"),
                Instant.EPOCH, T0.plusSeconds(3600));
        assertTrue(log.find(cust, new PageRequest(100, Optional.empty())).items().stream()
                .allMatch(r -> r.event().customer().equals(Optional.of("cust-2")) && r.event().action().equals("customer.history")));
        AuditLog.Filter window = new AuditLog.Filter(Optional.empty(), Optional.empty(), Optional.empty(), T0.plusSeconds(10), T0.plusSeconds(20));
        assertEquals(10, log.find(window, new PageRequest(100, Optional.empty())).items().size());

        List<Long> seen = new ArrayList<>();
        Page<AuditRecord> page = log.find(all(), new PageRequest(7, Optional.empty()));
        while (true) {
            page.items().forEach(r -> seen.add(r.seq()));
            if (page.next().isEmpty()) {
                break;
            }
            page = log.find(all(), new PageRequest(7, page.next()));
        }
        assertEquals(30, seen.size());
        for (int i = 0; i < 30; i++) {
            assertEquals(30 - i, seen.get(i), "every record once, newest first");
        }
    }

    @Test
    void appendsFromManyThreadsFormOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String actor = "person-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.append(event(i, actor, "customer.history", "cust-1"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        AuditRecord.Verification verification = verify(log);
        assertTrue(verification.intact(), verification.toString());
        assertEquals(200, verification.checked());
        assertEquals(1, verification.firstSeq());
        assertEquals(200, verification.lastSeq());
    }

    @Test
    void textFromARequestCannotForgeARecordsShape() {
        AuditRecord record = log.append(new AuditEvent(T0, "ana", "viewer", "customer.history",
                Optional.of("cust|1\nforged"), Optional.empty(), "x".repeat(500), "allowed"));
        assertEquals("cust?1?forged", record.event().customer().orElseThrow());
        assertEquals(AuditEvent.MAX_TEXT, record.event().client().length());
        assertTrue(verify(log).intact());
    }
}
