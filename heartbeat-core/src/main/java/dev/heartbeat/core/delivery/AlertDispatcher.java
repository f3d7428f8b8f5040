package dev.heartbeat.core.delivery;

import dev.heartbeat.core.alert.Alert;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.port.SilenceStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers alert transitions from the outbox to every sink, on its own thread: ingestion never
 * waits for a webhook. A failed delivery is retried with capped exponential back-off, from the
 * outbox, so it survives restarts (at-least-once: a sink may see a transition twice, never zero
 * times). Transitions of one alert are delivered in order. Every {@link #REMIND_EVERY} it also has the
 * outbox queue the reminders that are due ({@link AlertOutbox#remind}), which then go out the same way.
 *
 * <p>With a {@link SilenceStore}, a transition whose alert a silence in effect mutes is held back in the
 * outbox instead ({@link AlertOutbox#hold}), and when that silence is over the newest one still true is
 * delivered once ({@link AlertOutbox#release}). A resolution is never held: the sinks that heard of the
 * alert hear that it ended, and one they never heard of (all of it was held) is dropped.
 */
public final class AlertDispatcher implements Runnable {

    private final AlertOutbox outbox;
    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration pollInterval;
    private final int batchSize;
    private final Reminders reminders;
    private final SilenceStore silences;
    private Instant nextReminders = Instant.MIN;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder held = new LongAdder();
    private volatile String lastError = "";
    private volatile boolean running = true;

    /** How often the dispatcher asks for the reminders that are due. */
    public static final Duration REMIND_EVERY = Duration.ofSeconds(10);

    public AlertDispatcher(AlertOutbox outbox, List<AlertSink> sinks, Clock clock, Backoff backoff,
                           Duration pollInterval, int batchSize) {
        this(outbox, sinks, clock, backoff, pollInterval, batchSize, Reminders.OFF);
    }

    public AlertDispatcher(AlertOutbox outbox, List<AlertSink> sinks, Clock clock, Backoff backoff,
                           Duration pollInterval, int batchSize, Reminders reminders) {
        this(outbox, sinks, clock, backoff, pollInterval, batchSize, reminders, null);
    }

    /** A dispatcher that also honours the silences in {@code silences} (null: none). */
    public AlertDispatcher(AlertOutbox outbox, List<AlertSink> sinks, Clock clock, Backoff backoff,
                           Duration pollInterval, int batchSize, Reminders reminders, SilenceStore silences) {
        this.silences = silences;
        this.reminders = Objects.requireNonNull(reminders, "reminders");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sinks = List.copyOf(sinks);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.batchSize = batchSize;
    }

    @Override
    public void run() {
        while (running) {
            int handled;
            try {
                handled = dispatchOnce();
            } catch (RuntimeException outboxUnavailable) {
                lastError = String.valueOf(outboxUnavailable.getMessage());
                handled = 0;
            }
            if (handled == 0) {
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Queues the due reminders (every {@link #REMIND_EVERY}), releases what silences now over held, then
     * delivers (or holds) what is due now; returns how many transitions it handled.
     */
    public int dispatchOnce() {
        Instant now = clock.instant();
        if (!reminders.off() && !now.isBefore(nextReminders)) {
            nextReminders = now.plus(REMIND_EVERY);
            outbox.remind(now, reminders);
        }
        List<Silence> inEffect = List.of();
        if (silences != null) {
            inEffect = silences.inEffect(now);
            outbox.release(inEffect.stream().map(Silence::id).toList(), now);
        }
        List<PendingDelivery> due = outbox.due(now, batchSize);
        for (PendingDelivery pending : due) {
            Alert alert = pending.transition().alert();
            if (pending.transition().kind() == AlertTransition.Kind.RESOLVED) {
                if (!pending.announced()) {
                    outbox.skip(pending.id(), now);
                    continue;
                }
            } else {
                Optional<Silence> muting = Silence.firstMuting(inEffect, alert);
                if (muting.isPresent()) {
                    outbox.hold(pending.id(), muting.get().id());
                    held.increment();
                    continue;
                }
            }
            try {
                for (AlertSink sink : sinks) {
                    sink.deliver(pending.transition());
                }
                outbox.delivered(pending.id(), clock.instant());
                delivered.increment();
            } catch (RuntimeException e) {
                int attempts = pending.attempts() + 1;
                failures.increment();
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                outbox.failed(pending.id(), attempts, clock.instant().plus(backoff.delay(attempts)), lastError);
            }
        }
        return due.size();
    }

    public void stop() {
        running = false;
    }

    public long delivered() {
        return delivered.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /** How many transitions silences held back. */
    public long held() {
        return held.sum();
    }

    public String lastError() {
        return lastError;
    }
}
