package dev.heartbeat.core.alert;

import dev.heartbeat.core.Durations;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What someone asks to mute: the alerts of a customer and/or a rule and/or a severity (at least one of
 * them, so that no silence mutes everything), from {@code startsAt} to {@code endsAt}, and why. A
 * silence never mutes a critical alert (an escalation to critical included) unless it says so:
 * {@code includesCritical}, or a critical {@code severity}.
 */
public record SilenceRequest(Optional<CustomerId> customer, Optional<String> rule, Optional<AnomalyLevel> severity,
                             boolean includesCritical, Instant startsAt, Instant endsAt, String reason) {

    public static final int MAX_REASON_LENGTH = 500;
    /** The longest silence the dashboard accepts unless configured otherwise. */
    public static final Duration DEFAULT_LONGEST = Duration.ofHours(24);
    /** How far in the past a silence may start: a request's clock a little behind the server's. */
    public static final Duration START_TOLERANCE = Duration.ofMinutes(1);

    public SilenceRequest {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(reason, "reason");
        if (customer.isEmpty() && rule.isEmpty() && severity.isEmpty()) {
            throw new InvalidValueException("a silence names a customer, a rule or a severity (or several): "
                    + "one that matched every alert would mute them all");
        }
        if (severity.isPresent() && severity.get() == AnomalyLevel.NORMAL) {
            throw new InvalidValueException("no alert has severity normal");
        }
        reason = reason.strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new InvalidValueException("a silence gives its reason: 1-" + MAX_REASON_LENGTH + " printable characters");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new InvalidValueException("a silence ends after it starts, got start " + startsAt + " and end " + endsAt);
        }
    }

    /** A silence of {@code length} from {@code now}: a snooze. */
    public static SilenceRequest snooze(Optional<CustomerId> customer, Optional<String> rule, Instant now,
                                        Duration length, String reason) {
        return new SilenceRequest(customer, rule, Optional.empty(), false, now, now.plus(length), reason);
    }

    /**
     * Refuses a request that does not fit {@code now} and the {@code longest} silence allowed: one that
     * started more than {@link #START_TOLERANCE} ago, has ended already, or lasts longer.
     */
    public SilenceRequest checkedAt(Instant now, Duration longest) {
        if (startsAt.isBefore(now.minus(START_TOLERANCE))) {
            throw new InvalidValueException("a silence starts now or later, got " + startsAt + " (now is " + now + ")");
        }
        if (!endsAt.isAfter(now)) {
            throw new InvalidValueException("a silence ends in the future, got " + endsAt + " (now is " + now + ")");
        }
        if (Duration.between(startsAt, endsAt).compareTo(longest) > 0) {
            throw new InvalidValueException("a silence lasts at most " + Durations.format(longest) + ", got "
                    + Durations.format(Duration.between(startsAt, endsAt)) + " (make another when it ends, if it must go on)");
        }
        return this;
    }
}
