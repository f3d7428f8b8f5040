package dev.heartbeat.core.simulation;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One wearer: a Markov chain over rest / normal / exercise with realistic dwell times, plus rare
 * anomaly episodes, and a heart rate that drifts smoothly towards the activity's target (an
 * Ornstein-Uhlenbeck process: mean reversion plus noise), never jumping like uniform noise.
 */
final class SimulatedCustomer {

    private final CustomerId id;
    private final long episodeIdBase;
    private final RandomGenerator random;
    private final double baseline;
    private final double maxHeartRate;
    private final double anomalyChancePerSecond;

    private Activity activity;
    private Activity resumeActivity = Activity.NORMAL;
    private double remainingSeconds;
    private double target;
    private double heartRate;
    private AnomalyKind anomalyKind;
    private Episode episode;
    private long episodes;

    SimulatedCustomer(CustomerId id, int index, RandomGenerator random, double anomaliesPerHour) {
        this.id = id;
        this.episodeIdBase = (index + 1L) * 1_000_000L;
        this.random = random;
        this.baseline = clamp(70 + 8 * random.nextGaussian(), 58, 90);
        this.maxHeartRate = 150 + 35 * random.nextDouble();
        this.anomalyChancePerSecond = anomaliesPerHour / 3600.0;
        Activity[] usual = {Activity.REST, Activity.NORMAL, Activity.EXERCISE};
        enter(usual[random.nextInt(usual.length)]);
        this.remainingSeconds *= random.nextDouble();
        this.heartRate = target;
    }

    SimulatedReading next(Instant at, double seconds) {
        remainingSeconds -= seconds;
        if (remainingSeconds <= 0) {
            if (activity == Activity.ANOMALY) {
                episode = null;
                enter(resumeActivity);
            } else {
                enter(nextUsualActivity());
            }
        } else if (activity != Activity.ANOMALY && random.nextDouble() < anomalyChancePerSecond * seconds) {
            startEpisode(at);
        }
        drift(seconds);
        int bpm = (int) Math.round(clamp(heartRate, Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE));
        Reading reading = new Reading(id, at, bpm, activity);
        return new SimulatedReading(reading, Optional.ofNullable(episode));
    }

    private void drift(double seconds) {
        double tau;
        double sigma;
        switch (activity) {
            case REST -> { tau = 15; sigma = 0.8; }
            case NORMAL -> { tau = 15; sigma = 1.2; }
            case EXERCISE -> { tau = 25; sigma = 1.5; }
            case ANOMALY -> { tau = 1.5; sigma = 1.5; }
            default -> throw new IllegalStateException();
        }
        double pull = 1 - Math.exp(-seconds / tau);
        heartRate += (target - heartRate) * pull + sigma * Math.sqrt(seconds) * random.nextGaussian();
        heartRate = clamp(heartRate, Reading.MIN_HEART_RATE, Reading.MAX_HEART_RATE);
    }

    private Activity nextUsualActivity() {
        double u = random.nextDouble();
        return switch (activity) {
            case REST -> u < 0.8 ? Activity.NORMAL : Activity.EXERCISE;
            case NORMAL -> u < 0.45 ? Activity.REST : Activity.EXERCISE;
            case EXERCISE -> u < 0.7 ? Activity.NORMAL : Activity.REST;
            case ANOMALY -> resumeActivity;
        };
    }

    private void enter(Activity next) {
        activity = next;
        switch (next) {
            case REST -> {
                remainingSeconds = minutes(10, 40);
                target = baseline - 3 - 7 * random.nextDouble();
            }
            case NORMAL -> {
                remainingSeconds = minutes(5, 30);
                target = baseline + 4 + 10 * random.nextDouble();
            }
            case EXERCISE -> {
                remainingSeconds = minutes(5, 40);
                double intensity = 0.4 + 0.5 * random.nextDouble();
                target = baseline + intensity * (maxHeartRate - baseline);
            }
            case ANOMALY -> {
                remainingSeconds = 20 + 220 * random.nextDouble();
                target = anomalyKind.minTarget() + (anomalyKind.maxTarget() - anomalyKind.minTarget()) * random.nextDouble();
            }
        }
    }

    private void startEpisode(Instant at) {
        resumeActivity = activity;
        anomalyKind = AnomalyKind.pick(random.nextDouble());
        episode = new Episode(episodeIdBase + ++episodes, id, anomalyKind, at);
        enter(Activity.ANOMALY);
    }

    private double minutes(int min, int max) {
        return 60.0 * (min + (max - min) * random.nextDouble());
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
