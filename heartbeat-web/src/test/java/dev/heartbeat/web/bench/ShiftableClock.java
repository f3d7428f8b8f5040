package dev.heartbeat.web.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, except while a backfill pins it to the simulated time, so the in-memory store
 * records commit times (the pipeline chart) as if the history had been ingested live.
 */
public final class ShiftableClock extends Clock {

    private final Clock system;
    private final AtomicReference<Instant> pinned = new AtomicReference<>();

    public ShiftableClock(Clock system) {
        this.system = system;
    }

    public void pin(Instant at) {
        pinned.set(at);
    }

    public void unpin() {
        pinned.set(null);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant at = pinned.get();
        return at != null ? at : system.instant();
    }
}
