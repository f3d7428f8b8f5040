package dev.heartbeat.postgres;

import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Reminders;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertStore;
import dev.heartbeat.core.port.AlertStoreContract;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's alert contract against PostgreSQL: transitions with their batch, the database as arbiter, the outbox. */
class PostgresAlertStoreTest extends AlertStoreContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("alert_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected ReadingStore emptyStore() {
        TestDatabases.truncate(database);
        return new PostgresReadingStore(database);
    }

    @Override
    protected AlertStore alertsOf(ReadingStore store) {
        return new PostgresAlertStore(database);
    }

    @Override
    protected AlertOutbox outboxOf(ReadingStore store) {
        return new PostgresAlertStore(database);
    }

    @Override
    protected SilenceStore silencesOf(ReadingStore store) {
        return new PostgresSilenceStore(database);
    }

    @Test
    void dispatchersReleasingAtOnceHandEachAlertsNewestHeldTransitionOutOnce() throws Exception {
        Silence silence = silences.create(SilenceRequest.snooze(Optional.empty(), Optional.of("tachycardia"), base,
                Duration.ofMinutes(30), "ward-wide sensor swap"), "admin", base);
        for (int i = 0; i < 20; i++) {
            Alert alert = tachycardiaOf("cust-" + i, 0, 170);
            write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        }
        Instant now = Instant.now();
        outbox.due(now, 100).forEach(pending -> outbox.hold(pending.id(), silence.id()));
        // a second held transition of each alert: of the two, only the newer may go out
        outbox.remind(now.plus(Duration.ofHours(2)), new Reminders(Duration.ZERO, Duration.ofHours(1)));
        List<Long> newer = new ArrayList<>();
        outbox.due(now, 100).forEach(pending -> {
            outbox.hold(pending.id(), silence.id());
            newer.add(pending.id());
        });
        assertEquals(20, newer.size());
        List<CompletableFuture<Integer>> racing = new ArrayList<>();
        for (int dispatcher = 0; dispatcher < 4; dispatcher++) {
            PostgresAlertStore own = new PostgresAlertStore(database);
            racing.add(CompletableFuture.supplyAsync(() -> own.release(List.of(), now)));
        }
        int released = 0;
        for (CompletableFuture<Integer> result : racing) {
            released += result.get(30, TimeUnit.SECONDS);
        }
        assertEquals(20, released, "each alert's newest held transition released once among the four");
        assertEquals(newer.stream().sorted().toList(), outbox.due(now, 100).stream().map(p -> p.id()).sorted().toList(),
                "the newer of each alert's two, never the older");
    }

    @Test
    void dispatchersAskingForRemindersAtOnceQueueEachOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            Alert alert = tachycardiaOf("cust-" + i, 0, 230);
            write(new AlertTransition(AlertTransition.Kind.FIRED, alert, alert.firedAt()));
        }
        Instant due = Instant.now().plus(Duration.ofMinutes(16));
        Reminders reminders = new Reminders(Duration.ofMinutes(15), Duration.ofMinutes(10));
        List<CompletableFuture<List<AlertTransition>>> racing = new ArrayList<>();
        for (int dispatcher = 0; dispatcher < 4; dispatcher++) {
            PostgresAlertStore own = new PostgresAlertStore(database);
            racing.add(CompletableFuture.supplyAsync(() -> own.remind(due, reminders)));
        }
        int queued = 0;
        for (CompletableFuture<List<AlertTransition>> result : racing) {
            queued += result.get(30, TimeUnit.SECONDS).size();
        }
        assertEquals(20, queued, "each alert reminded once among the four");
        assertEquals(20L, (long) database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM alert_outbox WHERE kind = 'unacknowledged' AND escalation_level = 1").mapTo(Long.class).one()));
        assertEquals(0L, (long) database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM alert_outbox WHERE kind = 'repeated'").mapTo(Long.class).one()), "escalated now: not repeated too");
    }
}
