package dev.heartbeat.core.reading;

import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Properties of the classifier, {@link AnomalyLevel#classify(int)}. */
class ClassifierProperties implements WithQuickTheories {

    @Test
    void classificationIsTotalOverTheValidRange() {
        qt().forAll(integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE))
                .check(bpm -> AnomalyLevel.classify(bpm) != null);
    }

    @Test
    void everyHeartRateFallsInsideTheBoundsOfExactlyItsOwnBand() {
        qt().forAll(integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE))
                .check(bpm -> {
                    long containing = EnumSet.allOf(AnomalyLevel.class).stream()
                            .filter(level -> level.minBpm() <= bpm && bpm <= level.maxBpm())
                            .count();
                    AnomalyLevel level = AnomalyLevel.classify(bpm);
                    return containing == 1 && level.minBpm() <= bpm && bpm <= level.maxBpm();
                });
    }

    @Test
    void classificationAgreesWithTheBandTableAtEveryBoundary() {
        // the band table of docs/design.md, written out independently of the enum's own bounds
        int[][] table = {{30, 39}, {40, 59}, {60, 100}, {101, 160}, {161, 200}, {201, 250}};
        AnomalyLevel[] order = {AnomalyLevel.CRITICAL_LOW, AnomalyLevel.LOW, AnomalyLevel.NORMAL,
                AnomalyLevel.ELEVATED, AnomalyLevel.HIGH, AnomalyLevel.CRITICAL_HIGH};
        qt().forAll(integers().between(0, table.length - 1), integers().between(0, 1))
                .check((band, side) -> AnomalyLevel.classify(table[band][side]) == order[band]);
    }

    @Test
    void severityNeverDecreasesAwayFromNormal() {
        qt().forAll(integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE),
                        integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE))
                .check((a, b) -> {
                    int nearer = Math.min(a, b);
                    int further = Math.max(a, b);
                    boolean bothAbove = nearer >= AnomalyLevel.NORMAL.minBpm();
                    boolean bothBelow = further <= AnomalyLevel.NORMAL.maxBpm();
                    if (bothAbove) {
                        return AnomalyLevel.classify(further).severity() >= AnomalyLevel.classify(nearer).severity();
                    }
                    if (bothBelow) {
                        return AnomalyLevel.classify(nearer).severity() >= AnomalyLevel.classify(further).severity();
                    }
                    return true;
                });
    }

    @Test
    void everyBandIsReachable() {
        Set<AnomalyLevel> seen = EnumSet.noneOf(AnomalyLevel.class);
        qt().withExamples(2000)
                .forAll(integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE))
                .check(bpm -> seen.add(AnomalyLevel.classify(bpm)) || true);
        assertEquals(EnumSet.allOf(AnomalyLevel.class), seen);
    }

    @Test
    void onlyTheTwoExtremeBandsAreCritical() {
        qt().forAll(integers().between(Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE))
                .check(bpm -> AnomalyLevel.classify(bpm).isCritical() == (bpm < 40 || bpm > 200));
    }
}
