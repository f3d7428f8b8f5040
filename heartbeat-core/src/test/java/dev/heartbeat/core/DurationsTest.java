package dev.heartbeat.core;

import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one duration grammar of the command line, the environment and the API. */
class DurationsTest implements WithQuickTheories {

    @Test
    void readsEveryUnitAndIso8601() {
        assertEquals(Optional.of(Duration.ofMillis(500)), Durations.parse("500ms"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse("30s"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("5m"));
        assertEquals(Optional.of(Duration.ofHours(2)), Durations.parse("2h"));
        assertEquals(Optional.of(Duration.ofDays(7)), Durations.parse("7d"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse(" 30S "));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse("PT30S"));
        assertEquals(Optional.of(Duration.ofMinutes(90)), Durations.parse("pt1h30m"));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[]{"", "s", "30", "-5s", "PT-5S", "30 s", "1.5h", "30sec", "1w", "P", "1234567890s",
                "P" + "1".repeat(60) + "D"}) {
            assertEquals(Optional.empty(), Durations.parse(text), text);
        }
    }

    @Test
    void writesTheLargestWholeUnit() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("6h", Durations.format(Duration.ofHours(6)));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertThrows(InvalidValueException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    }

    @Test
    void whatIsWrittenReadsBackEqual() {
        qt().forAll(longs().between(0, 999_999_999L)).check(millis -> {
            Duration duration = Duration.ofMillis(millis);
            return Durations.parse(Durations.format(duration)).equals(Optional.of(duration));
        });
    }
}
