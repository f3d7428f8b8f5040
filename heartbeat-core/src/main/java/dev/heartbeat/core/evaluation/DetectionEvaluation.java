package dev.heartbeat.core.evaluation;

import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertRule;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.simulation.AnomalyKind;
import dev.heartbeat.core.simulation.Episode;
import dev.heartbeat.core.simulation.SimulatedReading;
import dev.heartbeat.core.simulation.SimulationSettings;
import dev.heartbeat.core.simulation.Simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Measures alerting against the simulator's ground truth: runs a scenario faster than real time
 * through the real {@link AlertEngine} and compares its alerts with the anomaly episodes the
 * simulator injected. Some customers are anomaly-prone, the rest never have an episode (so the
 * alerts they get are pure noise).
 *
 * <p>An alert matches an episode of the same customer on the same side of the normal band when
 * the readings it fired on overlap the episode (extended by {@link #GRACE}, while the heart rate
 * settles back).
 */
public final class DetectionEvaluation {

    /** How long after an episode's last reading an alert still counts as caused by it. */
    public static final Duration GRACE = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    /**
     * The scenario: {@code customers} wearers for {@code length} of simulated time, one reading each per
     * {@code interval}; {@code proneShare} of them have anomaly episodes at {@code anomaliesPerHour}.
     */
    public record Scenario(int customers, Duration length, Duration interval, double proneShare,
                           double anomaliesPerHour, long seed) {
        public Scenario {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(interval, "interval");
            if (customers < 2 || proneShare <= 0 || proneShare >= 1 || anomaliesPerHour <= 0 || length.isNegative()) {
                throw new InvalidValueException("a scenario needs >= 2 customers, 0 < proneShare < 1 and a positive anomaly rate");
            }
        }
    }

    private final List<AlertRule> rules;
    private final Duration reorderTolerance;

    public DetectionEvaluation(List<AlertRule> rules, Duration reorderTolerance) {
        this.rules = List.copyOf(rules);
        this.reorderTolerance = reorderTolerance;
    }

    public DetectionReport run(Scenario scenario) {
        int prone = Math.max(1, (int) Math.round(scenario.customers() * scenario.proneShare()));
        int calm = scenario.customers() - prone;
        SplittableRandom random = new SplittableRandom(scenario.seed());
        Simulator proneSimulator = new Simulator(new SimulationSettings(prone, scenario.interval(), START,
                scenario.anomaliesPerHour(), "prone-"), random.split());
        Simulator calmSimulator = new Simulator(new SimulationSettings(calm, scenario.interval(), START, 0, "calm-"),
                random.split());
        AlertEngine engine = new AlertEngine(rules, reorderTolerance);
        Truth truth = new Truth();
        long ticks = scenario.length().toNanos() / scenario.interval().toNanos();
        for (long tick = 0; tick < ticks; tick++) {
            for (Simulator simulator : List.of(proneSimulator, calmSimulator)) {
                List<SimulatedReading> readings = simulator.nextTick();
                List<Reading> plain = new ArrayList<>(readings.size());
                for (SimulatedReading r : readings) {
                    truth.observe(r);
                    plain.add(r.reading());
                }
                for (AlertTransition transition : engine.accept(plain)) {
                    truth.alerted(transition);
                }
            }
        }
        double days = scenario.length().toMillis() / 86_400_000.0;
        return truth.report(days * scenario.customers(), days * calm);
    }

    /** What the simulator did and what the engine said, and how they compare. */
    private final class Truth {
        private final Map<Long, EpisodeTrack> episodes = new LinkedHashMap<>();
        private final Map<CustomerId, List<EpisodeTrack>> byCustomer = new HashMap<>();
        private final List<AlertTransition> transitions = new ArrayList<>();
        private long readings;
        private long calmFlags;
        private long flags;
        private long flagsInEpisodes;

        void observe(SimulatedReading simulated) {
            readings++;
            Reading reading = simulated.reading();
            boolean outOfBand = reading.level() != AnomalyLevel.NORMAL;
            if (outOfBand) {
                flags++;
                if (reading.customerId().value().startsWith("calm-")) {
                    calmFlags++;
                }
            }
            simulated.episode().ifPresent(episode -> {
                EpisodeTrack track = episodes.computeIfAbsent(episode.id(), id -> {
                    EpisodeTrack created = new EpisodeTrack(episode);
                    byCustomer.computeIfAbsent(episode.customer(), c -> new ArrayList<>()).add(created);
                    return created;
                });
                track.observe(reading);
                if (outOfBand) {
                    flagsInEpisodes++;
                }
            });
        }

        void alerted(AlertTransition transition) {
            transitions.add(transition);
        }

        DetectionReport report(double customerDays, double calmCustomerDays) {
            List<DetectionReport.RuleQuality> rows = new ArrayList<>();
            List<Duration> allDelays = new ArrayList<>();
            long[] overall = new long[6];
            for (AlertRule rule : rules) {
                long alerts = 0;
                long matched = 0;
                for (AlertTransition t : transitions) {
                    if (t.kind() == AlertTransition.Kind.FIRED && t.alert().rule().name().equals(rule.name())) {
                        alerts++;
                        matched += matchingEpisode(t.alert(), t.alert().firstTriggering().recordedAt()) != null ? 1 : 0;
                    }
                }
                long sideEpisodes = 0;
                long detected = 0;
                long critical = 0;
                long criticalDetected = 0;
                List<Duration> delays = new ArrayList<>();
                AnomalyLevel criticalLevel = rule.above() ? AnomalyLevel.CRITICAL_HIGH : AnomalyLevel.CRITICAL_LOW;
                Duration criticalPending = rule.pendingFor().get(criticalLevel);
                for (EpisodeTrack episode : episodes.values()) {
                    if (episode.above() != rule.above()) {
                        continue;
                    }
                    sideEpisodes++;
                    detected += detection(episode, rule, null) != null ? 1 : 0;
                    if (criticalPending != null && episode.episode.kind().level().isCritical()
                            && episode.longestCriticalRun.compareTo(criticalPending) > 0) {
                        critical++;
                        Instant hit = detection(episode, rule, criticalLevel);
                        if (hit != null) {
                            criticalDetected++;
                            delays.add(Duration.between(episode.firstCritical, hit));
                        }
                    }
                }
                allDelays.addAll(delays);
                long[] counts = {alerts, matched, sideEpisodes, detected, critical, criticalDetected};
                for (int i = 0; i < counts.length; i++) {
                    overall[i] += counts[i];
                }
                rows.add(new DetectionReport.RuleQuality(rule.name(), alerts, matched, sideEpisodes, detected, critical,
                        criticalDetected, percentile(delays, 0.5), percentile(delays, 0.95)));
            }
            rows.add(new DetectionReport.RuleQuality("overall", overall[0], overall[1], overall[2], overall[3], overall[4],
                    overall[5], percentile(allDelays, 0.5), percentile(allDelays, 0.95)));
            long calmAlerts = transitions.stream().filter(t -> t.kind() == AlertTransition.Kind.FIRED)
                    .filter(t -> t.alert().customer().value().startsWith("calm-")).count();
            return new DetectionReport(readings, customerDays, calmCustomerDays, rows,
                    calmCustomerDays == 0 ? 0 : calmAlerts / calmCustomerDays,
                    calmCustomerDays == 0 ? 0 : calmFlags / calmCustomerDays,
                    flags == 0 ? 1.0 : (double) flagsInEpisodes / flags);
        }

        /** The episode an alert (fired on readings from {@code from}) belongs to, or null. */
        private EpisodeTrack matchingEpisode(Alert alert, Instant from) {
            for (EpisodeTrack episode : byCustomer.getOrDefault(alert.customer(), List.of())) {
                boolean sameSide = episode.above() == alert.rule().above();
                boolean overlaps = !from.isAfter(episode.last.plus(GRACE)) && !alert.firedAt().isBefore(episode.episode.start());
                if (sameSide && overlaps) {
                    return episode;
                }
            }
            return null;
        }

        /**
         * When an alert of {@code rule} for the episode's customer was firing, at {@code level} or more if
         * given, during the episode (or its grace): the later of the episode's start of interest and the
         * moment the alert reached that severity; null if no alert was.
         */
        private Instant detection(EpisodeTrack episode, AlertRule rule, AnomalyLevel level) {
            Instant from = level == null ? episode.episode.start() : episode.firstCritical;
            Instant until = episode.last.plus(GRACE);
            Map<String, Instant> reached = new HashMap<>();
            for (AlertTransition t : transitions) {
                if (!t.alert().customer().equals(episode.episode.customer()) || !t.alert().rule().name().equals(rule.name())) {
                    continue;
                }
                if (t.at().isAfter(until)) {
                    break;
                }
                String id = t.alert().id();
                switch (t.kind()) {
                    case FIRED, ESCALATED -> {
                        if (level == null || rule.atLeast(t.alert().severity(), level)) {
                            reached.putIfAbsent(id, t.at());
                        }
                    }
                    case RESOLVED -> {
                        Instant since = reached.remove(id);
                        if (since != null && !t.at().isBefore(from)) {
                            return since.isAfter(from) ? since : from;
                        }
                    }
                }
            }
            return reached.values().stream().min(Instant::compareTo).map(since -> since.isAfter(from) ? since : from)
                    .orElse(null);
        }
    }

    /** One injected episode as its readings showed it. */
    private static final class EpisodeTrack {
        private final Episode episode;
        private Instant last;
        private Instant firstCritical;
        private Instant runStart;
        private Duration longestCriticalRun = Duration.ZERO;

        EpisodeTrack(Episode episode) {
            this.episode = episode;
        }

        boolean above() {
            return episode.kind() == AnomalyKind.TACHYCARDIA || episode.kind() == AnomalyKind.SEVERE_TACHYCARDIA;
        }

        void observe(Reading reading) {
            last = reading.recordedAt();
            boolean critical = reading.level().isCritical() && (reading.level() == AnomalyLevel.CRITICAL_HIGH) == above();
            if (critical) {
                firstCritical = firstCritical == null ? reading.recordedAt() : firstCritical;
                runStart = runStart == null ? reading.recordedAt() : runStart;
                Duration run = Duration.between(runStart, reading.recordedAt());
                longestCriticalRun = run.compareTo(longestCriticalRun) > 0 ? run : longestCriticalRun;
            } else {
                runStart = null;
            }
        }
    }

    private static Duration percentile(List<Duration> values, double quantile) {
        if (values.isEmpty()) {
            return Duration.ZERO;
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
