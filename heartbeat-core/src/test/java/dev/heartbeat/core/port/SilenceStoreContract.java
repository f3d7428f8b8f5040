package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every silence store promises: a silence is kept as it was made, listed while it is not over,
 * ended once (the first ending kept), and still there for another process or after a restart. Run by
 * the in-memory store and by the PostgreSQL one.
 */
public abstract class SilenceStoreContract {

    protected SilenceStore silences;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** A store with no silences. */
    protected abstract SilenceStore emptyStore();

    /** Another store over the same data: another process, or this one after a restart. */
    protected abstract SilenceStore reopened();

    @BeforeEach
    void freshStore() {
        silences = emptyStore();
    }

    private SilenceRequest snooze(String customer, Duration length) {
        return snooze(customer, now, length);
    }

    private SilenceRequest snooze(String customer, Instant from, Duration length) {
        return SilenceRequest.snooze(Optional.of(CustomerId.of(customer)), Optional.of("bradycardia"), from, length,
                "athlete, resting rate in the 40s");
    }

    @Test
    void aSilenceIsKeptAsItWasMadeAndListedUntilItIsOver() {
        Silence made = silences.create(snooze("amy", Duration.ofMinutes(30)), "nurse.kim", now);
        assertEquals(new Silence(made.id(), snooze("amy", Duration.ofMinutes(30)), "nurse.kim", now, Optional.empty(),
                Optional.empty()), made);
        assertEquals(Optional.of(made), silences.silence(made.id()));
        assertEquals(List.of(made), silences.current(now));
        assertEquals(List.of(made), silences.current(now.plus(Duration.ofMinutes(29))));
        assertEquals(List.of(), silences.current(now.plus(Duration.ofMinutes(30))), "over at its end");
        assertEquals(List.of(made), silences.ended(now.plus(Duration.ofMinutes(31)), now, 10));
        assertEquals(Optional.empty(), silences.silence(made.id() + 1000));
    }

    @Test
    void everyMatcherAndTheCriticalChoiceSurviveTheRoundTrip() {
        SilenceRequest wide = new SilenceRequest(Optional.empty(), Optional.empty(), Optional.of(AnomalyLevel.HIGH), true,
                now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)), "ward 3 maintenance\nsensors swapped");
        Silence made = silences.create(wide, "admin", now);
        assertEquals(wide, silences.silence(made.id()).orElseThrow().request());
        assertEquals(List.of(made), silences.current(now), "a silence that starts later is listed, not yet in effect");
        assertTrue(!made.inEffectAt(now) && made.inEffectAt(now.plus(Duration.ofHours(2))));
    }

    @Test
    void endingKeepsTheFirstEndingAndListsTheSilenceAsEnded() {
        Silence made = silences.create(snooze("amy", Duration.ofHours(1)), "nurse.kim", now);
        Instant early = now.plus(Duration.ofMinutes(10));
        Silence ended = silences.end(made.id(), "nurse.lee", early).orElseThrow();
        assertEquals(Optional.of(early), ended.endedAt());
        assertEquals(Optional.of("nurse.lee"), ended.endedBy());
        assertEquals(early, ended.over());
        assertEquals(ended, silences.end(made.id(), "someone else", early.plusSeconds(60)).orElseThrow(), "first ending kept");
        assertEquals(List.of(), silences.current(early));
        assertEquals(List.of(ended), silences.ended(early.plusSeconds(1), now, 10));
        assertEquals(List.of(), silences.ended(early.plusSeconds(1), early.plusSeconds(1), 10), "ended before since");
        assertEquals(Optional.empty(), silences.end(made.id() + 1000, "nurse.lee", early));
    }

    @Test
    void aSilencePastItsEndIsNotEndedAgain() {
        Silence made = silences.create(snooze("amy", Duration.ofMinutes(15)), "nurse.kim", now);
        assertEquals(made, silences.end(made.id(), "nurse.lee", now.plus(Duration.ofMinutes(20))).orElseThrow());
    }

    @Test
    void anotherProcessSeesTheSameSilences() {
        Silence a = silences.create(snooze("amy", Duration.ofMinutes(15)), "nurse.kim", now);
        Silence b = silences.create(snooze("bob", Duration.ofMinutes(60)), "nurse.kim", now);
        Instant earlier = now.minus(Duration.ofMinutes(10));
        silences.create(snooze("cyd", earlier, Duration.ofMinutes(5)), "nurse.kim", earlier);
        SilenceStore other = reopened();
        assertEquals(List.of(a, b), other.current(now), "soonest end first");
        other.end(a.id(), "nurse.lee", now.plusSeconds(1));
        assertEquals(List.of(b), silences.current(now.plusSeconds(2)));
    }
}
