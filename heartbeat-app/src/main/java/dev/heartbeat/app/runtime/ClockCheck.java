package dev.heartbeat.app.runtime;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.ReferenceClock;
import dev.heartbeat.postgres.PostgresDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * This process's clock against PostgreSQL's, which every process shares: each measurement moves the
 * {@link #clock() reference clock} (what validation, retention and the dashboard go by) onto the
 * database's time, and is exported as {@code heartbeat_clock_skew_seconds}. Beyond the bound the
 * process reports not ready, saying why, and {@link #refusal()} tells retention not to run: one process
 * whose clock is wrong must not decide what is deleted.
 */
public final class ClockCheck {

    private static final Logger log = LoggerFactory.getLogger(ClockCheck.class);
    private static final String CONDITION = "clock";

    private final PostgresDatabase database;
    private final Clock local;
    private final ReferenceClock clock;
    private final Duration bound;
    private final Optional<Readiness> readiness;
    private volatile Optional<String> refusal = Optional.empty();

    private ClockCheck(PostgresDatabase database, Clock local, Optional<Readiness> readiness) {
        this.database = Objects.requireNonNull(database, "database");
        this.local = Objects.requireNonNull(local, "local");
        this.clock = new ReferenceClock(local);
        this.bound = database.settings().maxClockSkew();
        this.readiness = readiness;
    }

    /** Measured once now; {@code readiness}, when given, is not ready while the skew is beyond the bound. */
    public static ClockCheck measured(PostgresDatabase database, Clock local, Optional<Readiness> readiness) {
        ClockCheck check = new ClockCheck(database, local, readiness);
        check.measure();
        return check;
    }

    /** Measures the skew again; a failure to reach the server keeps the last measurement. */
    public void measure() {
        Duration skew;
        try {
            skew = database.clockSkew(local);
        } catch (HeartbeatException e) {
            log.debug("Clock check skipped: {}", e.getMessage());
            return;
        }
        clock.measured(skew);
        Optional<String> now = skew.abs().compareTo(bound) > 0 ? Optional.of(describe(skew)) : Optional.empty();
        if (now.isPresent() && refusal.isEmpty()) {
            log.warn("{}", now.get());
        } else if (now.isEmpty() && refusal.isPresent()) {
            log.info("This process's clock is within {} of PostgreSQL's again ({} ms); retention runs again", bound, skew.toMillis());
        }
        refusal = now;
        readiness.ifPresent(r -> now.ifPresentOrElse(why -> r.notReadyWhile(CONDITION, why), () -> r.clear(CONDITION)));
    }

    /** The clock decisions go by: this process's, moved onto PostgreSQL's by the last measurement. */
    public ReferenceClock clock() {
        return clock;
    }

    /** Why retention must not run now, when the clocks disagree beyond the bound. */
    public Optional<String> refusal() {
        return refusal;
    }

    /** Exports the last measured skew as {@code heartbeat_clock_skew_seconds} (positive: this process ahead). */
    public void register(MeterRegistry registry) {
        Gauge.builder("heartbeat.clock.skew", clock, c -> c.skew().toNanos() / 1e9).baseUnit("seconds")
                .description("How far this process's clock is ahead of PostgreSQL's (negative: behind)")
                .register(registry);
    }

    private String describe(Duration skew) {
        return String.format(Locale.ROOT, "this process's clock is %s %s PostgreSQL's, beyond the bound of %s "
                        + "(--max-clock-skew): retention will not run and the process reports not ready until the clocks agree; "
                        + "readings are judged by PostgreSQL's clock meanwhile (check NTP on this host)",
                human(skew.abs()), skew.isNegative() ? "behind" : "ahead of", human(bound));
    }

    private static String human(Duration exact) {
        // to the nearest second: a skew of 40 days less a few milliseconds of round trip reads "40d 0h"
        Duration d = Duration.ofSeconds(Math.round(exact.toMillis() / 1000.0));
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", exact.toMillis() / 1000.0);
    }
}
