package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SilenceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static Alert alert(String customer, AlertRule rule, AnomalyLevel severity) {
        Reading reading = new Reading(CustomerId.of(customer), NOW, severity.minBpm(), Activity.NORMAL);
        return new Alert(Alert.idOf(rule, reading), CustomerId.of(customer), rule, severity, AlertState.FIRING, reading,
                reading, reading, NOW, Optional.empty());
    }

    private static Silence silence(SilenceRequest request) {
        return new Silence(1, request, "nurse.kim", NOW, Optional.empty(), Optional.empty());
    }

    private static SilenceRequest request(String customer, String rule, AnomalyLevel severity, boolean critical) {
        return new SilenceRequest(Optional.ofNullable(customer).map(CustomerId::of), Optional.ofNullable(rule),
                Optional.ofNullable(severity), critical, NOW, NOW.plus(Duration.ofMinutes(30)), "reason");
    }

    @Test
    void everyMatcherItNamesMustMatch() {
        Silence amysBradycardia = silence(request("amy", "bradycardia", null, false));
        assertTrue(amysBradycardia.matches(alert("amy", AlertRule.bradycardia(), AnomalyLevel.LOW)));
        assertFalse(amysBradycardia.matches(alert("amy", AlertRule.tachycardia(), AnomalyLevel.HIGH)));
        assertFalse(amysBradycardia.matches(alert("bob", AlertRule.bradycardia(), AnomalyLevel.LOW)));
        Silence highs = silence(request(null, null, AnomalyLevel.HIGH, false));
        assertTrue(highs.matches(alert("bob", AlertRule.tachycardia(), AnomalyLevel.HIGH)));
        assertFalse(highs.matches(alert("bob", AlertRule.bradycardia(), AnomalyLevel.LOW)));
    }

    @Test
    void criticalAlertsAreMutedOnlyWhenTheSilenceSaysSo() {
        Alert critical = alert("amy", AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH);
        assertFalse(silence(request("amy", null, null, false)).matches(critical));
        assertTrue(silence(request("amy", null, null, true)).matches(critical));
        assertTrue(silence(request(null, null, AnomalyLevel.CRITICAL_HIGH, false)).matches(critical), "named: it says so");
    }

    @Test
    void theUnmutedAlertsAreThoseNoSilenceMatches() {
        Alert amy = alert("amy", AlertRule.bradycardia(), AnomalyLevel.LOW);
        Alert bob = alert("bob", AlertRule.bradycardia(), AnomalyLevel.LOW);
        Alert amyCritical = alert("amy", AlertRule.tachycardia(), AnomalyLevel.CRITICAL_HIGH);
        assertEquals(java.util.List.of(bob, amyCritical), Silence.unmuted(java.util.List.of(silence(request("amy", null, null, false))),
                java.util.List.of(amy, bob, amyCritical)), "what Alertmanager is sent again every minute");
    }

    @Test
    void itIsInEffectFromItsStartUntilItsEndOrItsEnding() {
        Silence s = silence(request("amy", null, null, false));
        assertFalse(s.inEffectAt(NOW.minusMillis(1)));
        assertTrue(s.inEffectAt(NOW));
        assertTrue(s.inEffectAt(NOW.plus(Duration.ofMinutes(30)).minusMillis(1)));
        assertTrue(s.isOverAt(NOW.plus(Duration.ofMinutes(30))));
        Silence ended = new Silence(1, s.request(), "nurse.kim", NOW, Optional.of(NOW.plusSeconds(60)), Optional.of("nurse.lee"));
        assertTrue(ended.isOverAt(NOW.plusSeconds(60)));
        assertEquals(NOW.plusSeconds(60), ended.over());
    }

    @Test
    void aRequestThatMutesEverythingOrNothingOrTooLongIsRefusedWithTheReason() {
        InvalidValueException all = assertThrows(InvalidValueException.class, () -> request(null, null, null, true));
        assertTrue(all.getMessage().contains("names a customer, a rule or a severity"), all.getMessage());
        assertThrows(InvalidValueException.class, () -> new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(),
                Optional.empty(), false, NOW, NOW, "reason"));
        assertThrows(InvalidValueException.class, () -> new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(),
                Optional.empty(), false, NOW, NOW.plusSeconds(60), "  "));
        assertThrows(InvalidValueException.class, () -> request(null, null, AnomalyLevel.NORMAL, false));
        SilenceRequest day = new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(), Optional.empty(), false,
                NOW, NOW.plus(Duration.ofHours(25)), "reason");
        InvalidValueException tooLong = assertThrows(InvalidValueException.class, () -> day.checkedAt(NOW, Duration.ofHours(24)));
        assertTrue(tooLong.getMessage().startsWith("a silence lasts at most 1d, got 25h"), tooLong.getMessage());
        SilenceRequest backdated = new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(), Optional.empty(),
                false, NOW.minus(Duration.ofMinutes(5)), NOW.plusSeconds(60), "reason");
        assertThrows(InvalidValueException.class, () -> backdated.checkedAt(NOW, Duration.ofHours(24)));
        assertEquals(day, day.checkedAt(NOW, Duration.ofHours(26)));
        SilenceRequest over = new SilenceRequest(Optional.of(CustomerId.of("amy")), Optional.empty(), Optional.empty(), false,
                NOW.minusSeconds(30), NOW, "reason");
        InvalidValueException past = assertThrows(InvalidValueException.class, () -> over.checkedAt(NOW, Duration.ofHours(24)));
        assertTrue(past.getMessage().startsWith("a silence ends in the future"), past.getMessage());
    }
}
