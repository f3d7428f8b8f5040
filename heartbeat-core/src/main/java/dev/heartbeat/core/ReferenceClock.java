package dev.heartbeat.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This process's clock moved onto a reference clock that every process shares (the database's): the
 * local clock minus the last measured skew. Decisions that compare a reading's time with "now" (too old,
 * in the future) and that delete (retention) then agree across processes whatever their own clocks say.
 * Until a skew is measured it is the local clock.
 */
public final class ReferenceClock extends Clock {

    private final Clock local;
    private final AtomicReference<Duration> skew;

    public ReferenceClock(Clock local) {
        this(local, new AtomicReference<>(Duration.ZERO));
    }

    private ReferenceClock(Clock local, AtomicReference<Duration> skew) {
        this.local = Objects.requireNonNull(local, "local");
        this.skew = skew;
    }

    /** Records a measured skew: how far the local clock is ahead of the reference (negative: behind). */
    public void measured(Duration localAhead) {
        skew.set(Objects.requireNonNull(localAhead, "localAhead"));
    }

    /** The last measured skew: how far the local clock is ahead of the reference. */
    public Duration skew() {
        return skew.get();
    }

    @Override
    public Instant instant() {
        return local.instant().minus(skew.get());
    }

    @Override
    public ZoneId getZone() {
        return local.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new ReferenceClock(local.withZone(zone), skew);
    }
}
