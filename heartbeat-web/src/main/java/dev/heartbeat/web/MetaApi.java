package dev.heartbeat.web;

import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.validation.RejectReason;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /api/meta}: what the page needs to know before it draws anything: the bands and their
 * thresholds (from core's classifier, so the page never hard-codes them), the reject reasons, the
 * API's limits and whether alerts are on (the alert endpoints answer 404 otherwise).
 */
final class MetaApi {

    private final Clock clock;
    private final DashboardSettings settings;
    private final boolean alerts;

    MetaApi(Clock clock, DashboardSettings settings, boolean alerts) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.alerts = alerts;
    }

    record LevelView(String level, String description, int minBpm, int maxBpm, int severity, boolean critical) {
    }

    /** A line on the chart between two adjacent bands, drawn at the band edge nearest to normal. */
    record ThresholdView(int bpm, String below, String above, String label) {
    }

    record LimitsView(int maxPage, long maxRangeSeconds, int maxHistoryPoints, int maxSparklineCustomers,
                      int maxStreamCustomers) {
    }

    record MetaView(Instant serverTime, List<LevelView> levels, List<ThresholdView> thresholds,
                    List<String> rejectReasons, LimitsView limits, long streamIntervalMs, boolean alerts) {
    }

    void meta(Context ctx) {
        QueryParams.of(ctx, Set.of());
        List<LevelView> levels = Arrays.stream(AnomalyLevel.values())
                .map(l -> new LevelView(l.wireName(), l.description(), l.minBpm(), l.maxBpm(), l.severity(), l.isCritical()))
                .toList();
        ctx.json(new MetaView(clock.instant(), levels, thresholds(),
                Arrays.stream(RejectReason.values()).map(RejectReason::code).toList(),
                new LimitsView(ApiLimits.MAX_PAGE, ApiLimits.MAX_RANGE.toSeconds(), ApiLimits.MAX_HISTORY_POINTS,
                        ApiLimits.MAX_SPARKLINE_CUSTOMERS, ApiLimits.MAX_STREAM_CUSTOMERS),
                settings.streamInterval().toMillis(), alerts));
    }

    /**
     * Below normal a line marks where the upper band starts (40: low from 40 bpm; 60: normal from
     * 60); above normal where the lower band ends (100: elevated above 100; 160: high above 160; 200:
     * critical high above 200), so each line sits at the clinical threshold.
     */
    static List<ThresholdView> thresholds() {
        AnomalyLevel[] bands = AnomalyLevel.values();
        List<ThresholdView> lines = new ArrayList<>();
        for (int i = 0; i + 1 < bands.length; i++) {
            AnomalyLevel lower = bands[i];
            AnomalyLevel upper = bands[i + 1];
            boolean belowNormal = upper.compareTo(AnomalyLevel.NORMAL) <= 0;
            int bpm = belowNormal ? upper.minBpm() : lower.maxBpm();
            String label = belowNormal
                    ? bpm + " · " + lower.wireName().replace('_', ' ') + " below"
                    : bpm + " · " + upper.wireName().replace('_', ' ') + " above";
            lines.add(new ThresholdView(bpm, lower.wireName(), upper.wireName(), label));
        }
        return lines;
    }
}
