package dev.heartbeat.app.bench;

import dev.heartbeat.app.options.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plan is checked before any server starts, with the option to change named. */
class BenchPlanTest {

    private static BenchPlan plan(int readings, int customers, int repeats) {
        return new BenchPlan(readings, customers, 3, 100, Duration.ofSeconds(3), Duration.ofSeconds(2), repeats, "256m", 2);
    }

    @Test
    void eachBurstSpansEachCustomersShareOfTheReadingsAtOneASecond() {
        assertEquals(Duration.ofSeconds(100), plan(1_000_000, 10_000, 3).span());
        assertEquals(Duration.ofSeconds(4), plan(1_000, 300, 3).span(), "rounded up");
    }

    @Test
    void tooFewReadingsOrRepeatsAreRefused() {
        assertThrows(ConfigurationException.class, () -> plan(999, 10, 1));
        assertThrows(ConfigurationException.class, () -> plan(1000, 10, 0));
        assertThrows(ConfigurationException.class, () -> plan(1000, 0, 1));
    }

    @Test
    void burstsThatWouldSpanMoreThanHalfADayAreRefusedNamingTheWayOut() {
        ConfigurationException tooLong = assertThrows(ConfigurationException.class, () -> plan(1_000_000, 50, 3));
        assertTrue(tooLong.getMessage().contains("use more --customers or fewer --readings"), tooLong.getMessage());
    }
}
