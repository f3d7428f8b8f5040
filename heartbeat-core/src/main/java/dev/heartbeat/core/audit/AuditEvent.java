package dev.heartbeat.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing someone did that the audit trail keeps: who (the account, or {@code -} when nobody was
 * identified), with which role, what, about which customer or alert, from which client address, and
 * how it ended. Times are kept to the microsecond, as PostgreSQL stores them, so that a record's hash
 * can be computed again from what was stored.
 *
 * @param action  what was done, e.g. {@code customer.history}, {@code alert.acknowledge}, {@code sign_in}
 * @param outcome {@code allowed}, {@code denied}, {@code failed} or {@code ok}
 */
public record AuditEvent(Instant at, String actor, String role, String action, Optional<String> customer,
                         Optional<String> alert, String client, String outcome) {

    public static final String NOBODY = "-";
    public static final int MAX_TEXT = 200;

    public AuditEvent {
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        actor = clean(actor);
        role = clean(role);
        action = clean(action);
        customer = Objects.requireNonNull(customer, "customer").map(AuditEvent::clean);
        alert = Objects.requireNonNull(alert, "alert").map(AuditEvent::clean);
        client = clean(client);
        outcome = clean(outcome);
    }

    /** Printable text of bounded length: what a request said must not be able to forge a record's shape. */
    static String clean(String text) {
        String value = text == null || text.isEmpty() ? NOBODY : text;
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_TEXT));
        value.codePoints().limit(MAX_TEXT).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f || c == '|' ? '?' : c));
        return out.toString();
    }
}
