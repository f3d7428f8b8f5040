package dev.heartbeat.postgres;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryCadenceTest {

    private long now;
    private final SummaryCadence cadence = new SummaryCadence(Duration.ofSeconds(1), 1000, () -> now);

    @Test
    void dueAfterTheIntervalWhenSomethingWasWritten() {
        now += Duration.ofMillis(999).toNanos();
        assertFalse(cadence.due(10));
        now += Duration.ofMillis(1).toNanos();
        assertTrue(cadence.due(0), "10 readings since the last summary, a second ago");
        now += Duration.ofSeconds(5).toNanos();
        assertFalse(cadence.due(0), "nothing written since");
    }

    @Test
    void dueAtOnceAfterEnoughReadings() {
        assertFalse(cadence.due(999));
        assertTrue(cadence.due(1));
        assertFalse(cadence.due(1), "counting starts over");
    }

    @Test
    void byTimeTheNextSummaryRestsFourTimesAsLongAsTheLastTook() {
        now += Duration.ofSeconds(1).toNanos();
        assertTrue(cadence.due(10));
        now += Duration.ofMillis(500).toNanos();
        cadence.ran(Duration.ofMillis(500)); // ended 500 ms later: rest until 2 s after that

        now += Duration.ofMillis(1500).toNanos();
        assertFalse(cadence.due(10), "the interval passed, the rest did not");
        now += Duration.ofMillis(500).toNanos();
        assertTrue(cadence.due(10));
    }

    @Test
    void enoughReadingsDoNotWaitForTheRest() {
        now += Duration.ofSeconds(1).toNanos();
        assertTrue(cadence.due(10));
        cadence.ran(Duration.ofSeconds(2));
        assertTrue(cadence.due(1000), "the unsummarized tail stays bounded, whatever summaries cost");
    }
}
