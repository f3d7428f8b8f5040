package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.port.AlertOutbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
                if (entry.deliveredAt != null || entry.held) {
                    continue;
                }
                String alertId = entry.transition.alert().id();
                if (blocked.add(alertId) && !entry.nextAttemptAt.isAfter(now) && due.size() < limit) {
                    due.add(new PendingDelivery(entry.id, entry.transition, entry.attempts, announced(entry)));
                    entry.nextAttemptAt = now.plus(CLAIM_LEASE);
                }
            }
            return due;
        }
    }

    /** Whether an earlier transition of the entry's alert reached the sinks. */
    private boolean announced(InMemoryDatabase.OutboxEntry entry) {
        String alertId = entry.transition.alert().id();
        return db.outboxEntries.stream().anyMatch(e -> e.id < entry.id && e.transition.alert().id().equals(alertId)
                && e.deliveredAt != null && !e.skipped);
    }

    @Override
    public void hold(long id, long silenceId) {
        synchronized (db) {
            InMemoryDatabase.OutboxEntry entry = db.outboxEntries.get((int) id - 1);
            if (entry.deliveredAt == null) { // delivered meanwhile by a dispatcher that took it over: stays delivered
                entry.held = true;
                entry.silenceId = silenceId;
            }
        }
    }

    @Override
    public void skip(long id, Instant at) {
        synchronized (db) {
            InMemoryDatabase.OutboxEntry skipped = db.outboxEntries.get((int) id - 1);
            String alertId = skipped.transition.alert().id();
            for (InMemoryDatabase.OutboxEntry entry : db.outboxEntries) {
                if (entry.deliveredAt == null
                        && (entry == skipped || entry.held && entry.transition.alert().id().equals(alertId))) {
                    drop(entry, at);
                }
            }
        }
    }

    private static void drop(InMemoryDatabase.OutboxEntry entry, Instant at) {
        entry.held = false;
        entry.skipped = true;
        entry.deliveredAt = at;
    }

    @Override
    public int release(Collection<Long> inEffect, Instant at) {
        synchronized (db) {
            Map<String, InMemoryDatabase.OutboxEntry> newest = new HashMap<>();
            List<InMemoryDatabase.OutboxEntry> over = new ArrayList<>();
            for (InMemoryDatabase.OutboxEntry entry : db.outboxEntries) {
                if (entry.held && entry.deliveredAt == null && !inEffect.contains(entry.silenceId)) {
                    over.add(entry);
                    newest.put(entry.transition.alert().id(), entry); // entries are in id order
                }
            }
            int released = 0;
            for (InMemoryDatabase.OutboxEntry entry : over) {
                String alertId = entry.transition.alert().id();
                StoredAlert alert = db.alertsById.get(alertId);
                boolean later = db.outboxEntries.stream().anyMatch(e -> e.id > entry.id
                        && e.transition.alert().id().equals(alertId) && !e.skipped);
                if (newest.get(alertId) == entry && alert != null && alert.alert().isOpen() && !later) {
                    entry.held = false;
                    entry.nextAttemptAt = Instant.MIN;
                    released++;
                } else {
                    drop(entry, at);
                }
            }
            return released;
        }
    }

    @Override
    public void delivered(long id, Instant at) {
        synchronized (db) {
            InMemoryDatabase.OutboxEntry entry = db.outboxEntries.get((int) id - 1);
            entry.deliveredAt = at; // delivered is the truth, whatever a dispatcher whose lease ran out decided meanwhile
            entry.held = false;
            entry.skipped = false;
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
                    db.alertsById.put(stored.alert().id(), new StoredAlert(stored.alert(), stored.acknowledgement(), notice.level));
                    AlertTransition reminder = new AlertTransition(kind, stored.alert(), now, notice.level);
                    db.outboxEntries.add(new InMemoryDatabase.OutboxEntry(db.outboxEntries.size() + 1L, reminder));
                    queued.add(reminder);
                }
            }
            return queued;
        }
    }
}
