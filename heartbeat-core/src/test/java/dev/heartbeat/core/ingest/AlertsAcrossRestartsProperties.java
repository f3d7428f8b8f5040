package dev.heartbeat.core.ingest;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryDatabase;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.validation.ReadingValidator;
import dev.heartbeat.core.validation.ValidationPolicy;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A consumer that dies and is replaced, any number of times, anywhere in the stream (in the middle of a
 * pending period, a resolve countdown, or with readings in its reorder buffer), raises exactly the alerts
 * an uninterrupted consumer raises: the same episodes, fired at the same reading, escalated and resolved
 * at the same readings, with the same peaks. The replacement rebuilds each customer's state from the
 * store (its open alerts, its latest resolutions and its readings of the engine's memory).
 */
class AlertsAcrossRestartsProperties implements WithQuickTheories {

    static final Instant START = Instant.parse("2026-11-29T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    /** Normal, high, critical high, low, critical low (never explained: the activity is normal). */
    static final int[] BPM = {75, 75, 170, 215, 50, 35};

    /** One consumer's life: its batch size and how many polls it makes before it dies. */
    record Life(int maxBatch, int polls) {
    }

    @Test
    void aConsumerReplacedAnywhereRaisesTheAlertsOfOneThatRanAllAlong() {
        qt().withExamples(300)
                .forAll(longs().all(), lists().of(integers().between(1, 60).zip(integers().between(1, 40), Life::new))
                        .ofSizeBetween(1, 5))
                .checkAssert((seed, lives) -> {
                    List<Reading> readings = episodes(seed);
                    List<Alert> uninterrupted = alerts(readings, List.of());
                    List<Alert> restarted = alerts(readings, lives);
                    assertEquals(uninterrupted, restarted, () -> "lives " + lives + "; only without restarts: "
                            + uninterrupted.stream().filter(a -> !restarted.contains(a)).toList() + "; only with: "
                            + restarted.stream().filter(a -> !uninterrupted.contains(a)).toList());
                });
    }

    @Test
    void aConditionPendingAcrossARestartFiresWhenItWouldHave() {
        // 8 s of critical tachycardia before the restart, the rest after: fires 10 s in, not 10 s after the restart
        List<Reading> readings = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            readings.add(reading("kai", s, s >= 20 && s < 45 ? 215 : 75));
        }
        List<Alert> restarted = alerts(readings, List.of(new Life(4, 7)));
        assertEquals(1, restarted.size());
        assertEquals(START.plusSeconds(30), restarted.getFirst().firedAt(), "20 s + the 10 s pending period");
        assertEquals(alerts(readings, List.of()), restarted);
    }

    /** Three customers, a reading a second each for ten minutes, in episodes of random levels and lengths. */
    static List<Reading> episodes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Reading> readings = new ArrayList<>();
        for (String customer : List.of("ana", "ben", "cid")) {
            int second = 0;
            while (second < 600) {
                int bpm = BPM[random.nextInt(BPM.length)];
                int length = 1 + random.nextInt(90);
                for (int s = second; s < Math.min(600, second + length); s++) {
                    readings.add(reading(customer, s, bpm));
                }
                second += length;
            }
        }
        readings.sort(Comparator.comparing(Reading::recordedAt).thenComparing(r -> r.customerId().value()));
        return readings;
    }

    static Reading reading(String customer, int second, int bpm) {
        return new Reading(CustomerId.of(customer), START.plusSeconds(second), bpm, Activity.NORMAL);
    }

    /** The alerts the store holds once consumers with these lives, then one to the end, have read every reading. */
    static List<Alert> alerts(List<Reading> readings, List<Life> lives) {
        InMemoryDatabase database = new InMemoryDatabase(CLOCK);
        InMemoryBus bus = new InMemoryBus("heartbeat-data", 2);
        InMemoryReadingPublisher publisher = new InMemoryReadingPublisher(bus);
        readings.forEach(reading -> publisher.publish(reading).join());
        List<Life> all = new ArrayList<>(lives);
        all.add(new Life(50, Integer.MAX_VALUE));
        for (Life life : all) {
            InMemoryReadingSource source = new InMemoryReadingSource(bus, life.maxBatch());
            Ingest ingest = new Ingest(new ReadingValidator(ValidationPolicy.defaults(), CLOCK), database.store(), CLOCK)
                    .withAlerts(AlertEngine.withDefaults(), database.alerts());
            IngestLoop loop = new IngestLoop(source, ingest, IngestObserver.NONE,
                    new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), Duration.ofMillis(1));
            source.start(database.store());
            for (int i = 0; i < life.polls() && loop.runOnce() > 0; i++) {
                // the consumer dies after its polls: nothing held is committed
            }
        }
        TimeRange range = new TimeRange(START.minusSeconds(1), START.plus(Duration.ofHours(1)));
        return database.alerts().history(Optional.empty(), range, PageRequest.first(1_000)).items().stream()
                .map(stored -> stored.alert())
                .sorted(Comparator.comparing(Alert::id))
                .toList();
    }
}
