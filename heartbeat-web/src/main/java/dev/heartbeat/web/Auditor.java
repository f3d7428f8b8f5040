package dev.heartbeat.web;

import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.core.port.AuditLog;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Optional;

/**
 * Writes the dashboard's audit records: who, with which role, what, about whom, from which address,
 * and how it ended. A read is recorded before it is answered, so a read that could not be recorded is
 * not answered (503 while the store is down). Without an audit log (an embedder that gave none) it
 * records nothing.
 */
final class Auditor {

    private final AuditLog log;
    private final Clock clock;

    Auditor(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    boolean isOn() {
        return log != null;
    }

    void record(Context ctx, Optional<Identity> who, String action, Optional<String> customer, Optional<String> alert, String outcome) {
        if (log == null) {
            return;
        }
        log.append(new AuditEvent(clock.instant(), who.map(Identity::name).orElse(AuditEvent.NOBODY),
                who.map(i -> i.role().id()).orElse(AuditEvent.NOBODY), action, customer, alert, ctx.ip(), outcome));
    }

    void record(Context ctx, Optional<Identity> who, AuditedAction action, String outcome) {
        record(ctx, who, action.name(), action.customer(), action.alert(), outcome);
    }

    /** Sign-ins and sign-outs, whose actor is the name tried. */
    void signIn(Context ctx, String username, Optional<Identity> who, String action, String outcome) {
        if (log == null) {
            return;
        }
        log.append(new AuditEvent(clock.instant(), username, who.map(i -> i.role().id()).orElse(AuditEvent.NOBODY), action,
                Optional.empty(), Optional.empty(), ctx.ip(), outcome));
    }
}
