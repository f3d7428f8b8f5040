package dev.heartbeat.core.query;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.Backoff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryValuesTest {

    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void cursorsRoundTripThroughTheirToken() {
        Cursor cursor = new Cursor(T.plusNanos(123_456_000), "cust-00042");
        assertEquals(Optional.of(cursor), Cursor.decode(cursor.encode()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64 !", "YWJj", "MXwyfDN8NA", "eHx5fHo"})
    void cursorsRefuseForeignTokens(String token) {
        assertEquals(Optional.empty(), Cursor.decode(token));
    }

    @Test
    void historyPlansFollowTheRangeLength() {
        assertEquals(new HistoryPlan(HistoryPlan.Source.RAW, Duration.ZERO),
                HistoryPlan.of(new TimeRange(T, T.plus(Duration.ofMinutes(5))), 500));
        assertEquals(new HistoryPlan(HistoryPlan.Source.RAW_BUCKETS, Duration.ofSeconds(10)),
                HistoryPlan.of(new TimeRange(T, T.plus(Duration.ofHours(1))), 500));
        assertEquals(new HistoryPlan(HistoryPlan.Source.MINUTE_ROLLUPS, Duration.ofMinutes(5)),
                HistoryPlan.of(new TimeRange(T, T.plus(Duration.ofDays(1))), 500));
        assertEquals(new HistoryPlan(HistoryPlan.Source.MINUTE_ROLLUPS, Duration.ofMinutes(30)),
                HistoryPlan.of(new TimeRange(T, T.plus(Duration.ofDays(7))), 500));
    }

    @Test
    void bucketsAreCountedFromTheEpoch() {
        assertEquals(Instant.parse("2026-11-29T10:05:00Z"),
                TimeBuckets.floor(Instant.parse("2026-11-29T10:09:59.999Z"), Duration.ofMinutes(5)));
        assertEquals(new TimeRange(Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:02:00Z")),
                TimeBuckets.wholeMinutes(new TimeRange(Instant.parse("2026-11-29T10:00:30Z"), Instant.parse("2026-11-29T10:01:01Z"))));
        assertEquals(new TimeRange(T, T.plusSeconds(60)), TimeBuckets.wholeMinutes(new TimeRange(T, T.plusSeconds(60))));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertEquals(Duration.ofMillis(100), backoff.delay(1));
        assertEquals(Duration.ofMillis(200), backoff.delay(2));
        assertEquals(Duration.ofMillis(800), backoff.delay(4));
        assertEquals(Duration.ofMillis(1000), backoff.delay(5));
        assertEquals(Duration.ofMillis(1000), backoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void valuesRefuseNonsense() {
        assertThrows(InvalidValueException.class, () -> new TimeRange(T, T));
        assertThrows(InvalidValueException.class, () -> PageRequest.first(0));
        assertThrows(InvalidValueException.class, () -> PageRequest.first(PageRequest.MAX_LIMIT + 1));
        assertThrows(InvalidValueException.class, () -> LatestQuery.all(0));
        assertThrows(InvalidValueException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
