package dev.heartbeat.web;

import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.web.bench.ShiftableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session lifetimes and the login back-off, on a clock the test moves. */
class SessionsTest {

    static final Identity ANA = new Identity("ana", Role.RESPONDER, "session");
    /** The test's clock: pinned, and moved on by hand ({@link #advance}). */
    final ShiftableClock clock = new ShiftableClock(Clock.systemUTC());

    {
        clock.pin(Instant.parse("2026-12-01T08:00:00Z"));
    }

    void advance(Duration by) {
        clock.pin(clock.instant().plus(by));
    }
    final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12));

    Optional<Identity> find(String id) {
        return sessions.find(id, Duration.ofSeconds(30), was -> was);
    }

    @Test
    void aSessionEndsAfterItsIdleTime() {
        String id = sessions.open(ANA);
        assertEquals(43, id.length(), "256 random bits");
        assertNotEquals(id, sessions.open(ANA));
        advance(Duration.ofMinutes(29));
        assertEquals(Optional.of(ANA), find(id), "used within 30 minutes: still on, and touched");
        advance(Duration.ofMinutes(29));
        assertEquals(Optional.of(ANA), find(id));
        advance(Duration.ofMinutes(31));
        assertEquals(Optional.empty(), find(id), "idle for 31 minutes");
    }

    @Test
    void aBusySessionStillEndsAtItsMaximumAge() {
        String id = sessions.open(ANA);
        for (int i = 0; i < 12 * 4 - 1; i++) {
            advance(Duration.ofMinutes(15));
            assertTrue(find(id).isPresent(), "at " + (i + 1) * 15 + " min");
        }
        advance(Duration.ofMinutes(16));
        assertEquals(Optional.empty(), find(id), "12 h after sign-in, however busy");
    }

    @Test
    void theAccountIsLookedAtAgainAndADisabledOneEndsTheSession() {
        String id = sessions.open(ANA);
        Identity promoted = new Identity("ana", Role.ADMIN, "session");
        advance(Duration.ofSeconds(10));
        assertEquals(Optional.of(ANA), sessions.find(id, Duration.ofSeconds(30), was -> Optional.of(promoted)), "not yet due");
        advance(Duration.ofSeconds(31));
        assertEquals(Optional.of(promoted), sessions.find(id, Duration.ofSeconds(30), was -> Optional.of(promoted)));
        advance(Duration.ofSeconds(31));
        assertEquals(Optional.empty(), sessions.find(id, Duration.ofSeconds(30), was -> Optional.empty()));
        assertEquals(Optional.empty(), find(id), "ended for good");
    }

    @Test
    void unknownAndMalformedIdsFindNothing() {
        sessions.open(ANA);
        assertEquals(Optional.empty(), find(null));
        assertEquals(Optional.empty(), find(""));
        assertEquals(Optional.empty(), find("x".repeat(43)));
        assertEquals(Optional.empty(), find("x".repeat(5000)));
    }

    @Test
    void signingOutEndsTheSession() {
        String id = sessions.open(ANA);
        sessions.close(id);
        assertEquals(Optional.empty(), find(id));
    }

    @Test
    void theBackOffDoublesAfterFiveFailuresAndIsCapped() {
        assertEquals(Duration.ZERO, LoginThrottle.delay(4));
        assertEquals(Duration.ofSeconds(1), LoginThrottle.delay(5));
        assertEquals(Duration.ofSeconds(2), LoginThrottle.delay(6));
        assertEquals(Duration.ofSeconds(64), LoginThrottle.delay(11));
        assertEquals(Duration.ofMinutes(15), LoginThrottle.delay(40));
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), throttle.waitFor("ana", "10.0.0.1"), "attempt " + (i + 1));
            throttle.failed("ana", "10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.waitFor("ana", "10.0.0.1"), "after five failures");
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.waitFor("ana", "10.0.0.1"));
        throttle.failed("ana", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.waitFor("ana", "10.0.0.9"), "the name is held back from anywhere");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.waitFor("bo", "10.0.0.1"), "the address is held back for any name");
        assertEquals(Optional.empty(), throttle.waitFor("bo", "10.0.0.2"));
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), throttle.waitFor("ana", "10.0.0.1"), "the wait ran out");
        throttle.succeeded("ana", "10.0.0.1");
        throttle.failed("ana", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.waitFor("ana", "10.0.0.1"), "a success starts the count again");
    }
}
