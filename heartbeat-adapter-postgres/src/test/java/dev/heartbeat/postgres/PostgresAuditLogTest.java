package dev.heartbeat.postgres;

import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.audit.AuditRecord;
import dev.heartbeat.core.port.AuditLog;
import dev.heartbeat.core.port.AuditLogContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core's audit contract against PostgreSQL, and tampering as someone with write access to the table would. */
class PostgresAuditLogTest extends AuditLogContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("audit_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected AuditLog emptyLog() {
        TestDatabases.truncate(database);
        return new PostgresAuditLog(database);
    }

    @Test
    void anUpdateIsRefusedAndOneBehindTheTriggersBackIsFound() {
        for (int i = 0; i < 20; i++) {
            log.append(event(i, "ana", "customer.history", "cust-" + i));
        }
        RuntimeException refused = assertThrows(RuntimeException.class, () -> database.jdbi().useHandle(h ->
                h.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 7")));
        assertTrue(String.valueOf(refused.getCause()).contains("append-only"), String.valueOf(refused.getCause()));

        database.jdbi().useHandle(h -> {
            h.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
            h.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 7");
            h.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
        });
        AuditRecord.Verification changed = verify(log);
        assertTrue(changed.broken().orElseThrow().startsWith("record 7 ("), changed.toString());
        assertEquals(6, changed.checked());
    }

    @Test
    void aDeletedRecordIsFoundAndRetentionFromTheStartIsNot() {
        for (int i = 0; i < 20; i++) {
            log.append(event(i, "ana", "customer.history", "cust-" + i));
        }
        database.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq <= 5"));
        AuditRecord.Verification retained = verify(log);
        assertTrue(retained.intact(), retained.toString());
        assertEquals(6, retained.firstSeq());
        database.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 12"));
        assertTrue(verify(log).broken().orElseThrow().startsWith("records 12 are missing"), verify(log).toString());
        assertEquals(21, log.append(event(99, "bo", "sign_in", null)).seq(), "the chain goes on from its head");
    }

    @Test
    void retentionRemovesTheOldPrefixOfTheChainAndWhatRemainsVerifies() {
        Instant now = Instant.now();
        for (int i = 0; i < 10; i++) {
            // records 1-6 seven years old, 7-10 from last month
            Instant at = i < 6 ? now.minus(Duration.ofDays(7 * 365 + 10 - i)) : now.minus(Duration.ofDays(40 - i));
            log.append(new AuditEvent(at, "ana", "viewer", "customer.history", Optional.of("amy"), Optional.empty(), "10.0.0.1", "ok"));
        }
        PostgresAuditLog trail = (PostgresAuditLog) log;
        assertEquals(6, trail.trim(PostgresSettings.DEFAULT_AUDIT_RETENTION));
        AuditRecord.Verification verification = verify(log);
        assertTrue(verification.intact(), verification.toString());
        assertEquals(7, verification.firstSeq());
        assertEquals(4, verification.checked());
        assertEquals(0, trail.trim(PostgresSettings.DEFAULT_AUDIT_RETENTION), "nothing more is old enough");
        RuntimeException tooShort = assertThrows(RuntimeException.class, () -> trail.trim(Duration.ofDays(30)));
        assertTrue(String.valueOf(tooShort.getMessage()).contains("at least 365 days"), tooShort.getMessage());
    }

    @Test
    void retentionNeverRemovesTheNewestRecordSoTheHeadStillVerifies() {
        Instant old = Instant.now().minus(Duration.ofDays(8 * 365));
        for (int i = 0; i < 3; i++) {
            log.append(new AuditEvent(old.plusSeconds(i), "ana", "viewer", "sign_in", Optional.empty(), Optional.empty(), "10.0.0.1", "ok"));
        }
        assertEquals(2, ((PostgresAuditLog) log).trim(PostgresSettings.DEFAULT_AUDIT_RETENTION));
        assertEquals(3, verify(log).firstSeq());
        assertEquals(4, log.append(event(1, "bo", "sign_in", null)).seq());
        assertTrue(verify(log).intact());
    }
}
