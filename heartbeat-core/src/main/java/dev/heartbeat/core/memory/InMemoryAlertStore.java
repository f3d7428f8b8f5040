package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.Acknowledgement;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertHistory;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.Page;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/** The {@link AlertStore} of an {@link InMemoryDatabase}: the alerts its store applied. */
public final class InMemoryAlertStore implements AlertStore {

    private final InMemoryDatabase db;

    InMemoryAlertStore(InMemoryDatabase db) {
        this.db = db;
    }

    @Override
    public List<Alert> openAlerts(Collection<CustomerId> customers) {
        synchronized (db) {
            Set<CustomerId> wanted = Set.copyOf(customers);
            return db.alertsById.values().stream().map(StoredAlert::alert)
                    .filter(a -> a.isOpen() && wanted.contains(a.customer()))
                    .toList();
        }
    }

    @Override
    public AlertHistory recent(Collection<CustomerId> customers, Instant since) {
        synchronized (db) {
            Set<CustomerId> wanted = Set.copyOf(customers);
            List<Alert> open = new ArrayList<>();
            List<Alert> resolved = new ArrayList<>();
            for (StoredAlert stored : db.alertsById.values()) {
                Alert alert = stored.alert();
                if (!wanted.contains(alert.customer())) {
                    continue;
                }
                if (alert.isOpen()) {
                    open.add(alert);
                } else if (!alert.resolvedAt().orElseThrow().isBefore(since)) {
                    resolved.add(alert);
                }
            }
            List<Reading> readings = new ArrayList<>();
            for (CustomerId customer : wanted) {
                NavigableMap<Instant, Reading> series = db.readings.get(customer);
                if (series != null) {
                    Instant from = since;
                    for (Alert alert : open) {
                        if (alert.customer().equals(customer) && alert.lastTriggering().recordedAt().isBefore(from)) {
                            from = alert.lastTriggering().recordedAt();
                        }
                    }
                    readings.addAll(series.tailMap(from, true).values());
                }
            }
            readings.sort(Comparator.comparing(Reading::recordedAt));
            return new AlertHistory(open, resolved, readings);
        }
    }

    @Override
    public List<StoredAlert> active(int limit) {
        synchronized (db) {
            return db.alertsById.values().stream()
                    .filter(a -> a.alert().isOpen())
                    .sorted(Comparator.comparingInt((StoredAlert a) -> -a.alert().severity().severity())
                            .thenComparing((StoredAlert a) -> a.alert().firedAt(), Comparator.reverseOrder())
                            .thenComparing(a -> a.alert().id()))
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public Page<StoredAlert> history(Optional<CustomerId> customer, TimeRange range, PageRequest page) {
        synchronized (db) {
            Optional<Cursor> after = page.after();
            List<StoredAlert> sorted = db.alertsById.values().stream()
                    .filter(a -> range.contains(a.alert().firedAt()))
                    .filter(a -> customer.map(a.alert().customer()::equals).orElse(true))
                    .filter(a -> after.map(c -> InMemoryPaging.isAfter(a.alert().firedAt(), a.alert().id(), c)).orElse(true))
                    .sorted(Comparator.comparing((StoredAlert a) -> a.alert().firedAt())
                            .thenComparing(a -> a.alert().id()).reversed())
                    .limit(page.limit() + 1L)
                    .toList();
            return InMemoryPaging.page(sorted, page.limit(), a -> new Cursor(a.alert().firedAt(), a.alert().id()));
        }
    }

    @Override
    public Optional<StoredAlert> alert(String id) {
        synchronized (db) {
            return Optional.ofNullable(db.alertsById.get(id));
        }
    }

    @Override
    public Optional<StoredAlert> acknowledge(String id, Acknowledgement acknowledgement) {
        synchronized (db) {
            StoredAlert current = db.alertsById.get(id);
            if (current == null) {
                return Optional.empty();
            }
            if (current.acknowledgement().isEmpty()) {
                current = new StoredAlert(current.alert(), Optional.of(acknowledgement), current.escalationLevel());
                db.alertsById.put(id, current);
            }
            return Optional.of(current);
        }
    }
}
