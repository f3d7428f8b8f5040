package dev.heartbeat.core.simulation;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest {

    static final Instant START = Instant.parse("2026-11-29T00:00:00Z");

    @Test
    void ticksAreSpacedByTheIntervalAndCustomersAreStaggeredWithinIt() {
        Simulator simulator = new Simulator(SimulationSettings.of(4, START), new SplittableRandom(1));
        List<SimulatedReading> first = simulator.nextTick();
        List<SimulatedReading> second = simulator.nextTick();
        assertEquals(List.of(START, START.plusMillis(250), START.plusMillis(500), START.plusMillis(750)),
                first.stream().map(r -> r.reading().recordedAt()).toList());
        assertEquals(START.plusSeconds(1), second.getFirst().reading().recordedAt());
        assertEquals(CustomerId.of("cust-00001"), first.getFirst().reading().customerId());
        assertEquals(CustomerId.of("cust-00004"), first.getLast().reading().customerId());
        assertEquals(2, simulator.ticks());
        assertEquals(START.plusSeconds(2), simulator.nextTickAt());
    }

    @Test
    void heartRateDriftsSmoothlyOutsideAnomalyOnsets() {
        Simulator simulator = new Simulator(SimulationSettings.of(50, START).withAnomaliesPerCustomerHour(0),
                new SplittableRandom(7));
        Map<CustomerId, Integer> previous = new HashMap<>();
        long steps = 0;
        long bigJumps = 0;
        for (int tick = 0; tick < 3600; tick++) {
            for (SimulatedReading r : simulator.nextTick()) {
                Integer before = previous.put(r.reading().customerId(), r.reading().heartRate());
                if (before != null) {
                    steps++;
                    bigJumps += Math.abs(before - r.reading().heartRate()) > 8 ? 1 : 0;
                }
            }
        }
        // one reading a second: a heart rate does not leap like uniform noise would (the seed's did)
        assertTrue(bigJumps < steps / 1000, "jumps over 8 bpm: " + bigJumps + " of " + steps);
    }

    @Test
    void criticalEpisodesReachTheirCriticalBand() {
        Simulator simulator = new Simulator(SimulationSettings.of(200, START).withAnomaliesPerCustomerHour(2),
                new SplittableRandom(11));
        Map<Long, List<SimulatedReading>> episodes = new HashMap<>();
        for (int tick = 0; tick < 3600; tick++) {
            for (SimulatedReading r : simulator.nextTick()) {
                r.episode().ifPresent(e -> episodes.computeIfAbsent(e.id(), id -> new ArrayList<>()).add(r));
            }
        }
        Map<AnomalyKind, Integer> reached = new EnumMap<>(AnomalyKind.class);
        Map<AnomalyKind, Integer> total = new EnumMap<>(AnomalyKind.class);
        episodes.values().forEach(readings -> {
            Episode episode = readings.getFirst().episode().orElseThrow();
            total.merge(episode.kind(), 1, Integer::sum);
            assertTrue(readings.stream().allMatch(r -> r.reading().activity() == Activity.ANOMALY));
            boolean inBand = readings.stream().anyMatch(r -> r.reading().level() == episode.kind().level());
            reached.merge(episode.kind(), inBand ? 1 : 0, Integer::sum);
        });
        assertTrue(total.getOrDefault(AnomalyKind.SEVERE_BRADYCARDIA, 0) > 20, "episodes: " + total);
        assertTrue(total.getOrDefault(AnomalyKind.SEVERE_TACHYCARDIA, 0) > 20, "episodes: " + total);
        for (AnomalyKind kind : List.of(AnomalyKind.SEVERE_BRADYCARDIA, AnomalyKind.SEVERE_TACHYCARDIA)) {
            assertEquals(total.get(kind), reached.get(kind), kind + " episodes that reached " + kind.level());
        }
        assertEquals(AnomalyLevel.CRITICAL_LOW, AnomalyKind.SEVERE_BRADYCARDIA.level());
    }

    @Test
    void episodeIdsAreUniqueAndNameTheirCustomer() {
        Simulator simulator = new Simulator(SimulationSettings.of(30, START).withAnomaliesPerCustomerHour(6),
                new SplittableRandom(3));
        Map<Long, CustomerId> owners = new HashMap<>();
        for (int tick = 0; tick < 1800; tick++) {
            for (SimulatedReading r : simulator.nextTick()) {
                r.episode().ifPresent(e -> {
                    CustomerId owner = owners.putIfAbsent(e.id(), e.customer());
                    assertTrue(owner == null || owner.equals(e.customer()));
                    assertEquals(r.reading().customerId(), e.customer());
                });
            }
        }
        assertTrue(owners.size() > 10, "episodes seen: " + owners.size());
    }

    @Test
    void settingsRefuseNonsense() {
        assertThrows(InvalidValueException.class,
                () -> SimulationSettings.of(0, START));
        assertThrows(InvalidValueException.class,
                () -> SimulationSettings.of(1, START).withInterval(Duration.ZERO));
        assertThrows(InvalidValueException.class,
                () -> SimulationSettings.of(1, START).withAnomaliesPerCustomerHour(-1));
    }
}
