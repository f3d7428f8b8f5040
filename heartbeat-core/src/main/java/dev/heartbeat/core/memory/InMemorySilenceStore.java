package dev.heartbeat.core.memory;

import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.port.SilenceStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The {@link SilenceStore} of an {@link InMemoryDatabase}. */
public final class InMemorySilenceStore implements SilenceStore {

    private final InMemoryDatabase db;

    InMemorySilenceStore(InMemoryDatabase db) {
        this.db = db;
    }

    @Override
    public Silence create(SilenceRequest request, String author, Instant at) {
        synchronized (db) {
            Silence silence = new Silence(db.silences.size() + 1L, request, author, at, Optional.empty(), Optional.empty());
            db.silences.add(silence);
            return silence;
        }
    }

    @Override
    public List<Silence> current(Instant now) {
        synchronized (db) {
            return db.silences.stream().filter(s -> !s.isOverAt(now))
                    .sorted(Comparator.comparing(Silence::over).thenComparing(Silence::id)).toList();
        }
    }

    @Override
    public List<Silence> ended(Instant now, Instant since, int limit) {
        synchronized (db) {
            return db.silences.stream().filter(s -> s.isOverAt(now) && !s.over().isBefore(since))
                    .sorted(Comparator.comparing(Silence::over).thenComparing(Silence::id).reversed())
                    .limit(limit).toList();
        }
    }

    @Override
    public Optional<Silence> silence(long id) {
        synchronized (db) {
            return id >= 1 && id <= db.silences.size() ? Optional.of(db.silences.get((int) id - 1)) : Optional.empty();
        }
    }

    @Override
    public Optional<Silence> end(long id, String by, Instant at) {
        synchronized (db) {
            Optional<Silence> found = silence(id);
            if (found.isEmpty() || found.get().isOverAt(at)) {
                return found;
            }
            Silence s = found.get();
            Silence ended = new Silence(s.id(), s.request(), s.createdBy(), s.createdAt(), Optional.of(at), Optional.of(by));
            db.silences.set((int) id - 1, ended);
            return Optional.of(ended);
        }
    }
}
