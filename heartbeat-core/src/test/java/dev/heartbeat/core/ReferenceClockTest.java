package dev.heartbeat.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReferenceClockTest {

    static final Instant LOCAL = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void itIsTheLocalClockUntilASkewIsMeasuredAndThenTheReferenceTime() {
        ReferenceClock clock = new ReferenceClock(Clock.fixed(LOCAL, ZoneOffset.UTC));
        assertEquals(LOCAL, clock.instant());
        clock.measured(Duration.ofDays(40)); // this process 40 days ahead
        assertEquals(LOCAL.minus(Duration.ofDays(40)), clock.instant());
        clock.measured(Duration.ofMinutes(-10)); // 10 minutes behind
        assertEquals(LOCAL.plus(Duration.ofMinutes(10)), clock.instant());
        assertEquals(Duration.ofMinutes(-10), clock.skew());
    }

    @Test
    void aCopyInAnotherZoneFollowsTheSameMeasurements() {
        ReferenceClock clock = new ReferenceClock(Clock.fixed(LOCAL, ZoneOffset.UTC));
        Clock zoned = clock.withZone(ZoneId.of("Europe/Berlin"));
        clock.measured(Duration.ofSeconds(90));
        assertEquals(LOCAL.minusSeconds(90), zoned.instant());
        assertEquals(ZoneId.of("Europe/Berlin"), zoned.getZone());
    }
}
