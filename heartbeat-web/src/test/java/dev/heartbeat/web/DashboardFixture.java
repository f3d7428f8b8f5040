package dev.heartbeat.web;

import dev.heartbeat.core.stream.StreamGap;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.core.memory.InMemoryAccountStore;
import dev.heartbeat.core.memory.InMemoryAuditLog;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.web.bench.SimulatedPipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A dashboard on a free port over core's in-memory pipeline, filled through the real ingest path
 * (bus, validation, ingest loop, in-memory database) with two hours of simulated readings for
 * {@value #CUSTOMERS} customers, a customer with a single 250 bpm peak, rejects (one carrying
 * markup) and a duplicate. Alerts are raised on the way (core's default rules) and the dashboard
 * shows them from the same store. The clock is fixed, so the tests and the server see the same "now".
 */
final class DashboardFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:30Z");
    static final int CUSTOMERS = 20;
    static final String PEAK_CUSTOMER = "peak-1";
    static final Instant PEAK_AT = NOW.minus(Duration.ofMinutes(30));
    static final String MARKUP_ID = "<img src=x onerror=alert(1)>";

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final SimulatedPipeline pipeline = new SimulatedPipeline(clock, 3);
    final AtomicBoolean ready = new AtomicBoolean(true);
    final DashboardServer server;
    final ApiClient api;
    final long published;
    /** The people of a dashboard {@link #withPeople with people}: ada (admin), rui (responder), vera (viewer). */
    final Accounts accounts = new Accounts(new InMemoryAccountStore(), new Argon2PasswordHasher(), clock);
    final Map<String, String> tokens = new HashMap<>();
    /** The audit trail of a dashboard with people. */
    final InMemoryAuditLog audit = new InMemoryAuditLog();
    static final String PASSWORD = "correct horse battery staple";

    private DashboardFixture(DashboardSettings settings, boolean fill, boolean alerts) throws InterruptedException {
        this(settings, fill, alerts, false);
    }

    private DashboardFixture(DashboardSettings settings, boolean fill, boolean alerts, boolean people) throws InterruptedException {
        published = fill ? fill() : 0;
        pipeline.startIngest();
        pipeline.awaitIngested(Duration.ofSeconds(90));
        if (fill) {
            // messages of another topic removed before they were read: one gap on pipeline health
            pipeline.store.skip(new StreamGap(GAP_PARTITION, 0, 120, NOW.minusSeconds(300),
                    StreamGap.Reason.REMOVED_BEFORE_READ, "the log starts at 120"));
        }
        DashboardServer.Builder builder = DashboardServer.builder();
        if (alerts) {
            builder.alerts(pipeline.alerts).silences(pipeline.database.silences());
        }
        if (people) {
            for (Map.Entry<String, Role> person : Map.of("ada", Role.ADMIN, "rui", Role.RESPONDER, "vera", Role.VIEWER).entrySet()) {
                accounts.add(person.getKey(), person.getValue(), PASSWORD);
                tokens.put(person.getKey(), accounts.issueToken(person.getKey(), "tests").text());
            }
            builder.accounts(accounts).audit(audit);
        }
        server = builder
                .queries(pipeline.queries).lag(pipeline.lag).feed(pipeline.hub).clock(clock)
                .metrics(() -> "# TYPE heartbeat_test_up gauge\nheartbeat_test_up 1\n")
                .readiness(ready::get)
                .settings(settings.withPort(0))
                .build();
        int port = server.start();
        api = new ApiClient(port, settings.bearerToken().orElse(null));
    }

    static final StreamPartition GAP_PARTITION = new StreamPartition("heartbeat-retired", 0);

    static DashboardFixture filled() throws InterruptedException {
        return new DashboardFixture(DashboardSettings.defaults(), true, true);
    }

    static DashboardFixture empty(DashboardSettings settings) throws InterruptedException {
        return new DashboardFixture(settings, false, true);
    }

    /** An empty store, and people: every request that shows or changes data needs one of them (or the shared token). */
    static DashboardFixture withPeople(DashboardSettings settings) throws InterruptedException {
        return new DashboardFixture(settings, false, true, true);
    }

    /** The API as one of the people, by their API token. */
    ApiClient as(String person) {
        return api.withToken(tokens.get(person));
    }

    /** An empty store and a dashboard built without an alert store. */
    static DashboardFixture withoutAlerts() throws InterruptedException {
        return new DashboardFixture(DashboardSettings.defaults(), false, false);
    }

    int port() {
        return server.port();
    }

    private long fill() {
        long count = 0;
        Simulator simulator = SimulatedPipeline.simulator(CUSTOMERS, NOW.minus(Duration.ofHours(2)), Duration.ofSeconds(1),
                2.0, 7);
        while (!simulator.nextTickAt().isAfter(NOW.minusSeconds(1))) {
            for (SimulatedReading r : simulator.nextTick()) {
                pipeline.publish(r.reading());
                count++;
            }
        }
        // one customer at 60-69 bpm for an hour, with a single 250 bpm reading that averages must not hide
        Instant start = NOW.minus(Duration.ofHours(1));
        for (int i = 0; i < 3600; i++) {
            Instant at = start.plusSeconds(i);
            int bpm = at.equals(PEAK_AT) ? 250 : 60 + i % 10;
            pipeline.publish(new Reading(CustomerId.of(PEAK_CUSTOMER), at, bpm, Activity.REST));
            count++;
        }
        // a replayed message: stored once, counted as a duplicate
        pipeline.publish(new Reading(CustomerId.of(PEAK_CUSTOMER), start, 60, Activity.REST));
        pipeline.publishMalformed("cust-00001", "{\"customer_id\":\"cust-00001\",\"heart_");
        pipeline.publishMalformed("cust-00002", "not json at all");
        pipeline.publishBadCustomerId(MARKUP_ID, NOW.minusSeconds(20), 80);
        pipeline.publishOutOfRange("cust-00003", NOW.minusSeconds(10), 312);
        return count + 5;
    }

    @Override
    public void close() {
        server.close();
        pipeline.close();
    }
}
