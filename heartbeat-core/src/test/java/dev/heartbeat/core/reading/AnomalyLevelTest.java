package dev.heartbeat.core.reading;

import dev.heartbeat.core.InvalidValueException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnomalyLevelTest {

    /** Every boundary of the band table (docs/design.md), both sides. */
    @ParameterizedTest
    @CsvSource({
            "30, critical_low, Severe Bradycardia",
            "39, critical_low, Severe Bradycardia",
            "40, low, Bradycardia",
            "59, low, Bradycardia",
            "60, normal, Normal",
            "100, normal, Normal",
            "101, elevated, Elevated (Exercise/Stress)",
            "160, elevated, Elevated (Exercise/Stress)",
            "161, high, Tachycardia",
            "200, high, Tachycardia",
            "201, critical_high, Severe Tachycardia",
            "250, critical_high, Severe Tachycardia"})
    void classifiesEveryBoundaryAsTheBandTableSays(int bpm, String level, String description) {
        AnomalyLevel classified = AnomalyLevel.classify(bpm);
        assertEquals(level, classified.wireName());
        assertEquals(description, classified.description());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 29, 251, 1000, Integer.MAX_VALUE})
    void refusesHeartRatesOutsideTheValidRange(int bpm) {
        assertThrows(InvalidValueException.class, () -> AnomalyLevel.classify(bpm));
    }

    @ParameterizedTest
    @CsvSource({"29, 31", "59, 1", "60, 0", "100, 0", "101, 1", "250, 150"})
    void measuresTheDistanceFromTheNormalBand(int bpm, int distance) {
        assertEquals(distance, AnomalyLevel.distanceFromNormal(bpm));
    }
}
