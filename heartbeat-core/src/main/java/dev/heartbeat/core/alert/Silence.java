package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored silence: the request, who made it and when, and, when someone ended it before its end, who
 * and when. Alerts it mutes are still evaluated and stored; their transitions are held back from the
 * sinks while it is in effect, and the newest of those still true is delivered once when it is over
 * (docs/alerts.md#silences).
 */
public record Silence(long id, SilenceRequest request, String createdBy, Instant createdAt,
                      Optional<Instant> endedAt, Optional<String> endedBy) {

    public Silence {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(endedBy, "endedBy");
        if (endedAt.isPresent() != endedBy.isPresent()) {
            throw new InvalidValueException("an ended silence says who ended it and when");
        }
    }

    /** When it stops muting: its end, or when someone ended it, whichever is first. */
    public Instant over() {
        Instant end = request.endsAt();
        return endedAt.filter(at -> at.isBefore(end)).orElse(end);
    }

    /** Whether it mutes anything at {@code now}: it has started and is not over. */
    public boolean inEffectAt(Instant now) {
        return !now.isBefore(request.startsAt()) && now.isBefore(over());
    }

    /** Whether it is over at {@code now} (ended, or past its end). */
    public boolean isOverAt(Instant now) {
        return !now.isBefore(over());
    }

    /**
     * Whether it mutes {@code alert} as it is now: every matcher it names matches, and the alert is not
     * critical unless the silence includes critical alerts or names a critical severity.
     */
    public boolean matches(Alert alert) {
        SilenceRequest r = request;
        if (r.customer().isPresent() && !r.customer().get().equals(alert.customer())) {
            return false;
        }
        if (r.rule().isPresent() && !r.rule().get().equals(alert.rule().name())) {
            return false;
        }
        if (r.severity().isPresent() && r.severity().get() != alert.severity()) {
            return false;
        }
        return !alert.severity().isCritical() || r.includesCritical() || r.severity().isPresent();
    }

    /** The first of {@code inEffect} (silences in effect) that matches {@code alert}, if any. */
    public static Optional<Silence> firstMuting(Collection<Silence> inEffect, Alert alert) {
        return inEffect.stream().filter(s -> s.matches(alert)).findFirst();
    }

    /** The alerts none of {@code inEffect} (silences in effect) mutes, in their order. */
    public static List<Alert> unmuted(Collection<Silence> inEffect, List<Alert> alerts) {
        return alerts.stream().filter(alert -> firstMuting(inEffect, alert).isEmpty()).toList();
    }
}
