package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.port.AlertOutbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@link AlertOutbox} of an {@link InMemoryDatabase}: the transitions its store queued, in order. */
public final class InMemoryAlertOutbox implements AlertOutbox {

    private final InMemoryDatabase db;

    InMemoryAlertOutbox(InMemoryDatabase db) {
        this.db = db;
    }

    @Override
    public List<PendingDelivery> due(Instant now, int limit) {
        synchronized (db) {
            List<PendingDelivery> due = new ArrayList<>();
            Set<String> blocked = new HashSet<>();
            for (InMemoryDatabase.OutboxEntry entry : db.outboxEntries) {
                if (entry.deliveredAt != null) {
                    continue;
                }
                String alertId = entry.transition.alert().id();
                if (blocked.add(alertId) && !entry.nextAttemptAt.isAfter(now) && due.size() < limit) {
                    due.add(new PendingDelivery(entry.id, entry.transition, entry.attempts));
                    entry.nextAttemptAt = now.plus(CLAIM_LEASE);
                }
            }
            return due;
        }
    }

    @Override
    public void delivered(long id, Instant at) {
        synchronized (db) {
            db.outboxEntries.get((int) id - 1).deliveredAt = at;
        }
    }

    @Override
    public void failed(long id, int attempts, Instant nextAttemptAt, String error) {
        synchronized (db) {
            InMemoryDatabase.OutboxEntry entry = db.outboxEntries.get((int) id - 1);
            entry.attempts = attempts;
            entry.nextAttemptAt = nextAttemptAt;
            entry.lastError = error;
        }
    }

    @Override
    public List<AlertTransition> remind(Instant now, Reminders reminders) {
        synchronized (db) {
            List<AlertTransition> queued = new ArrayList<>();
            List<StoredAlert> open = db.alertsById.values().stream()
                    .filter(a -> a.alert().isOpen() && a.acknowledgement().isEmpty())
                    .sorted(java.util.Comparator.comparing(a -> a.alert().id()))
                    .toList();
            for (StoredAlert stored : open) {
                InMemoryDatabase.Notice notice = db.notices.computeIfAbsent(stored.alert().id(),
                        id -> new InMemoryDatabase.Notice(now));
                AlertTransition.Kind kind = null;
                if (!reminders.escalateAfter().isZero()
                        && !notice.raisedAt.plus(reminders.escalateAfter().multipliedBy(notice.level + 1)).isAfter(now)) {
                    notice.level++;
                    kind = AlertTransition.Kind.UNACKNOWLEDGED;
                } else if (!reminders.repeatEvery().isZero() && !notice.notifiedAt.plus(reminders.repeatEvery()).isAfter(now)) {
                    kind = AlertTransition.Kind.REPEATED;
                }
                if (kind != null) {
                    notice.notifiedAt = now;
                    AlertTransition reminder = new AlertTransition(kind, stored.alert(), now, notice.level);
                    db.outboxEntries.add(new InMemoryDatabase.OutboxEntry(db.outboxEntries.size() + 1L, reminder));
                    queued.add(reminder);
                }
            }
            return queued;
        }
    }
}
