package dev.heartbeat.core.simulation;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Properties of the {@link Simulator}. */
class SimulatorProperties implements WithQuickTheories {

    static final Instant START = Instant.parse("2026-11-29T00:00:00Z");

    static Simulator simulator(long seed, int customers, Duration interval) {
        SimulationSettings settings = SimulationSettings.of(customers, START).withInterval(interval);
        return new Simulator(settings, new SplittableRandom(seed));
    }

    static List<SimulatedReading> run(Simulator simulator, int ticks) {
        List<SimulatedReading> all = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            all.addAll(simulator.nextTick());
        }
        return all;
    }

    @Test
    void simulatorIsDeterministicForASeed() {
        qt().withExamples(30).forAll(longs().all(), integers().between(1, 40), integers().between(1, 300))
                .check((seed, customers, ticks) -> run(simulator(seed, customers, Duration.ofSeconds(1)), ticks)
                        .equals(run(simulator(seed, customers, Duration.ofSeconds(1)), ticks)));
    }

    @Test
    void aCustomerBehavesTheSameWhateverTheNumberOfCustomers() {
        qt().withExamples(20).forAll(longs().all(), integers().between(1, 20), integers().between(1, 20))
                .check((seed, fewer, more) -> {
                    List<Integer> alone = heartRatesOfFirstCustomer(simulator(seed, fewer, Duration.ofSeconds(1)));
                    List<Integer> inCrowd = heartRatesOfFirstCustomer(simulator(seed, fewer + more, Duration.ofSeconds(1)));
                    return alone.equals(inCrowd);
                });
    }

    private static List<Integer> heartRatesOfFirstCustomer(Simulator simulator) {
        List<Integer> rates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rates.add(simulator.nextTick().getFirst().reading().heartRate());
        }
        return rates;
    }

    @Test
    void heartRatesAlwaysStayWithinTheValidRange() {
        qt().withExamples(20).forAll(longs().all(), integers().between(1, 30))
                .check((seed, customers) -> run(simulator(seed, customers, Duration.ofSeconds(5)), 2000).stream()
                        .mapToInt(r -> r.reading().heartRate())
                        .allMatch(bpm -> bpm >= Reading.MIN_HEART_RATE && bpm <= Reading.MAX_HEART_RATE));
    }

    @Test
    void eachCustomersTimestampsStrictlyIncrease() {
        qt().withExamples(20).forAll(longs().all(), integers().between(1, 500), integers().between(1, 5000))
                .check((seed, customers, intervalMillis) -> {
                    Simulator simulator = simulator(seed, customers, Duration.ofMillis(intervalMillis));
                    Map<CustomerId, Instant> last = new HashMap<>();
                    for (SimulatedReading r : run(simulator, 5)) {
                        Instant previous = last.put(r.reading().customerId(), r.reading().recordedAt());
                        if (previous != null && !previous.isBefore(r.reading().recordedAt())) {
                            return false;
                        }
                    }
                    return last.size() == customers;
                });
    }

    @Test
    void aLongRunProducesAllSixLevels() {
        // 30 customers over 12 simulated hours at one reading every 5 s
        qt().withExamples(8).forAll(longs().all())
                .check(seed -> {
                    Set<AnomalyLevel> seen = EnumSet.noneOf(AnomalyLevel.class);
                    Simulator simulator = simulator(seed, 30, Duration.ofSeconds(5));
                    for (int tick = 0; tick < 12 * 720 && seen.size() < 6; tick++) {
                        simulator.nextTick().forEach(r -> seen.add(r.reading().level()));
                    }
                    return seen.size() == 6;
                });
    }

    @Test
    void everyLabelledReadingIsAnAnomalyAndEveryAnomalyIsLabelled() {
        qt().withExamples(10).forAll(longs().all())
                .check(seed -> run(simulator(seed, 20, Duration.ofSeconds(2)), 3000).stream()
                        .allMatch(r -> r.episode().isPresent()
                                == (r.reading().activity() == Activity.ANOMALY)));
    }
}
