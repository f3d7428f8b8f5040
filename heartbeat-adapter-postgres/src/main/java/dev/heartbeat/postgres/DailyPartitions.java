package dev.heartbeat.postgres;

import org.jdbi.v3.core.Jdbi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daily partitions (UTC) of heartbeat_records and heartbeat_minutes: which days have one, remembered
 * here after one look at the catalog, and creating the missing ones, each in a short transaction of its
 * own, before a batch needs them. A batch whose days are all known costs no catalog query.
 */
final class DailyPartitions {

    private static final String KNOWN_DAYS = "SELECT heartbeat_partition_days()";
    private static final String CREATE = "SELECT heartbeat_create_partitions(:first, :last)";

    private final Jdbi jdbi;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    DailyPartitions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Makes sure every day in {@code days} has its partitions; returns the tables it created. */
    List<String> ensure(Collection<LocalDate> days) {
        if (known.containsAll(days)) {
            return List.of();
        }
        load();
        List<String> created = new ArrayList<>();
        for (LocalDate day : days) {
            if (!known.contains(day)) {
                created.addAll(create(day, day));
            }
        }
        return created;
    }

    /** Creates the partitions from {@code first} to {@code last} that do not exist yet. */
    List<String> create(LocalDate first, LocalDate last) {
        List<String> created = jdbi.inTransaction(handle -> {
            // creating a partition briefly locks the parent: rather fail and retry than queue behind a long query
            handle.execute("SET LOCAL lock_timeout = '10s'");
            return handle.createQuery(CREATE).bind("first", first).bind("last", last).mapTo(String.class).list();
        });
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            known.add(day);
        }
        return created;
    }

    /** Forgets what it knew (after partitions were dropped, or one was found missing). */
    void forget() {
        loaded = false;
        known.clear();
    }

    private void load() {
        if (!loaded) {
            known.addAll(jdbi.withHandle(handle -> handle.createQuery(KNOWN_DAYS).mapTo(LocalDate.class).list()));
            loaded = true;
        }
    }
}
