package dev.heartbeat.core.delivery;

import dev.heartbeat.core.alert.Reminders;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.port.AlertOutbox;
import dev.heartbeat.core.port.AlertSink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers alert transitions from the outbox to every sink, on its own thread: ingestion never
 * waits for a webhook. A failed delivery is retried with capped exponential back-off, from the
 * outbox, so it survives restarts (at-least-once: a sink may see a transition twice, never zero
 * times). Transitions of one alert are delivered in order. Every {@link #REMIND_EVERY} it also has the
 * outbox queue the reminders that are due ({@link AlertOutbox#remind}), which then go out the same way.
 */
public final class AlertDispatcher implements Runnable {

    private final AlertOutbox outbox;
    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration pollInterval;
    private final int batchSize;
    private final Reminders reminders;
    private Instant nextReminders = Instant.MIN;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failures = new LongAdder();
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

    /** Queues the due reminders (every {@link #REMIND_EVERY}), then delivers what is due now; returns how many transitions it tried. */
    public int dispatchOnce() {
        Instant now = clock.instant();
        if (!reminders.off() && !now.isBefore(nextReminders)) {
            nextReminders = now.plus(REMIND_EVERY);
            outbox.remind(now, reminders);
        }
        List<PendingDelivery> due = outbox.due(now, batchSize);
        for (PendingDelivery pending : due) {
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

    public String lastError() {
        return lastError;
    }
}
