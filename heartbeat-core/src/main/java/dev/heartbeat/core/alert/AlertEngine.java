package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Turns each customer's readings into debounced, deduplicated alerts (see {@link AlertRule}).
 * Pure: no clock but the readings' own timestamps, no I/O; the caller persists the transitions.
 *
 * <p>Readings may arrive a little out of order: each customer's readings wait in a reorder buffer
 * until a reading {@code reorderTolerance} newer has arrived, and are then evaluated in timestamp
 * order, so disorder within the tolerance changes nothing. A reading older than one already
 * evaluated (later than the tolerance, or a duplicate) is ignored by alerting (it is still stored).
 * Not thread-safe: one engine per ingest loop.
 *
 * <p>Memory stays bounded by the customers that are active: a customer with no reading for
 * {@link #IDLE_AFTER} of event time (the newest reading the engine has seen, of anyone) has its buffered
 * readings evaluated, and is forgotten when that leaves no alert firing and no condition pending; its
 * next reading starts it afresh (after the caller restores its open alerts, of which it has none).
 */
public final class AlertEngine {

    private static final Comparator<Reading> BY_TIME = Comparator.comparing(Reading::recordedAt);

    private final List<AlertRule> rules;
    private final Duration reorderTolerance;
    private final Map<CustomerId, CustomerAlerts> customers = new HashMap<>();
    private Instant newestSeen;
    private Instant lastSweep;

    /** How long of event time a customer may send nothing before a quiet one is forgotten. */
    public static final Duration IDLE_AFTER = Duration.ofMinutes(10);

    public AlertEngine(List<AlertRule> rules, Duration reorderTolerance) {
        this.rules = List.copyOf(rules);
        this.reorderTolerance = Objects.requireNonNull(reorderTolerance, "reorderTolerance");
        if (reorderTolerance.isNegative()) {
            throw new InvalidValueException("reorder tolerance must be >= 0");
        }
        if (rules.stream().map(AlertRule::name).distinct().count() != rules.size()) {
            throw new InvalidValueException("alert rule names must be unique");
        }
    }

    public static AlertEngine withDefaults() {
        return new AlertEngine(AlertRule.defaults(), Duration.ofSeconds(1));
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Whether the engine holds any state for {@code customer} (else the caller may restore it first). */
    public boolean knows(CustomerId customer) {
        return customers.containsKey(customer);
    }

    /** Takes the open alerts of a customer from the store, before its first reading is accepted. */
    public void restore(CustomerId customer, Collection<Alert> open) {
        restore(customer, new AlertHistory(List.copyOf(open), List.of(), List.of()));
    }

    /**
     * How much of a customer's recent past decides its state: the longest pending or resolve period of
     * any rule, and the reorder tolerance. The history {@link #restore(CustomerId, AlertHistory)} needs
     * starts this long before the customer's first new reading.
     */
    public Duration memory() {
        Duration longest = Duration.ZERO;
        for (AlertRule rule : rules) {
            for (Duration pending : rule.pendingFor().values()) {
                longest = pending.compareTo(longest) > 0 ? pending : longest;
            }
            longest = rule.resolveAfter().compareTo(longest) > 0 ? rule.resolveAfter() : longest;
        }
        return longest.plus(reorderTolerance);
    }

    /**
     * Rebuilds a customer's state from the store before its first reading is accepted, as an engine that had
     * run all along would hold it: the open alerts restored, then the stored readings replayed. The readings
     * the engine had already evaluated (all but those within the reorder tolerance of the newest) rebuild the
     * pending periods, runs and resolve countdowns, and their transitions are dropped: they were committed
     * with their batches. The newest ones wait in the reorder buffer and are evaluated as readings come, as
     * they would have been. Each rule replays only what follows its latest resolution, so a replay never
     * re-fires an episode the store already resolved; then it takes its open alert from the store, keeping
     * the runs (the way to an escalation) and the resolve countdown the replay rebuilt.
     */
    public void restore(CustomerId customer, AlertHistory history) {
        customers.computeIfAbsent(customer, c -> new CustomerAlerts()).rebuild(customer, history);
    }

    /** Evaluates readings (any customers, any order) and returns the transitions they cause, in order. */
    public List<AlertTransition> accept(List<Reading> readings) {
        List<AlertTransition> transitions = new ArrayList<>();
        for (Reading reading : readings) {
            CustomerAlerts state = customers.computeIfAbsent(reading.customerId(), c -> new CustomerAlerts());
            state.offer(reading, transitions);
            if (newestSeen == null || reading.recordedAt().isAfter(newestSeen)) {
                newestSeen = reading.recordedAt();
            }
        }
        sweepIdle(transitions);
        return transitions;
    }

    /** How many customers the engine holds state for. */
    public int customerCount() {
        return customers.size();
    }

    /** Every half {@link #IDLE_AFTER} of event time: forgets the customers quiet for longer than it. */
    private void sweepIdle(List<AlertTransition> out) {
        if (newestSeen == null || (lastSweep != null
                && Duration.between(lastSweep, newestSeen).compareTo(IDLE_AFTER.dividedBy(2)) < 0)) {
            return;
        }
        lastSweep = newestSeen;
        Instant horizon = newestSeen.minus(IDLE_AFTER);
        customers.values().removeIf(state -> state.quietSince(horizon, out));
    }

    /** Forgets every customer: after a rebalance, state is restored from the store as customers reappear. */
    public void reset() {
        customers.clear();
    }

    /** Every open (firing) alert. */
    public List<Alert> open() {
        List<Alert> open = new ArrayList<>();
        customers.values().forEach(state -> {
            for (RuleTracker tracker : state.trackers) {
                tracker.open().ifPresent(open::add);
            }
        });
        return open;
    }

    private final class CustomerAlerts {
        /** One per rule, in the rules' order. */
        private final RuleTracker[] trackers = new RuleTracker[rules.size()];
        private final PriorityQueue<Reading> buffer = new PriorityQueue<>(BY_TIME);
        private Instant newest;
        private Instant evaluated;

        CustomerAlerts() {
            for (int i = 0; i < trackers.length; i++) {
                trackers[i] = new RuleTracker(rules.get(i));
            }
        }

        void rebuild(CustomerId customer, AlertHistory history) {
            Instant[] after = new Instant[trackers.length];
            Alert[] open = new Alert[trackers.length];
            for (Alert alert : history.open()) {
                int i = index(alert);
                if (i >= 0 && alert.customer().equals(customer)) { // an alert of a rule no longer configured stays as the store has it
                    open[i] = alert;
                }
            }
            for (Alert alert : history.resolved()) {
                int i = index(alert);
                if (i >= 0 && alert.customer().equals(customer)) {
                    after[i] = later(after[i], alert.resolvedAt().orElseThrow());
                }
            }
            List<Reading> readings = history.readings().stream().filter(r -> r.customerId().equals(customer))
                    .sorted(BY_TIME).toList();
            List<Reading> replayed = new ArrayList<>();
            if (!readings.isEmpty()) {
                Instant watermark = readings.getLast().recordedAt().minus(reorderTolerance);
                for (Reading reading : readings) {
                    if (evaluated != null && !reading.recordedAt().isAfter(evaluated)) {
                        continue;
                    }
                    if (reading.recordedAt().isAfter(watermark)) {
                        buffer.add(reading);
                        continue;
                    }
                    evaluated = reading.recordedAt();
                    replayed.add(reading);
                    for (int i = 0; i < trackers.length; i++) {
                        if (after[i] == null || reading.recordedAt().isAfter(after[i])) {
                            trackers[i].accept(reading); // committed with its batch before: dropped
                        }
                    }
                }
                newest = readings.getLast().recordedAt();
            }
            for (int i = 0; i < trackers.length; i++) {
                if (open[i] != null) {
                    trackers[i].adopt(open[i], replayed);
                }
            }
        }

        private int index(Alert alert) {
            for (int i = 0; i < trackers.length; i++) {
                if (trackers[i].rule().name().equals(alert.rule().name())) {
                    return i;
                }
            }
            return -1;
        }

        private static Instant later(Instant a, Instant b) {
            return a == null || b.isAfter(a) ? b : a;
        }

        void offer(Reading reading, List<AlertTransition> out) {
            if (evaluated != null && !reading.recordedAt().isAfter(evaluated)) {
                return;
            }
            buffer.add(reading);
            if (newest == null || reading.recordedAt().isAfter(newest)) {
                newest = reading.recordedAt();
            }
            evaluateUpTo(newest.minus(reorderTolerance), out);
        }

        /**
         * Whether the customer has sent nothing since {@code horizon} and, its buffered readings evaluated
         * (their transitions into {@code out}), has no alert firing and no condition pending.
         */
        boolean quietSince(Instant horizon, List<AlertTransition> out) {
            if (newest == null || newest.isAfter(horizon)) {
                return false;
            }
            evaluateUpTo(Instant.MAX, out);
            for (RuleTracker tracker : trackers) {
                if (!tracker.isQuiet()) {
                    return false;
                }
            }
            return true;
        }

        /** Evaluates the buffered readings up to {@code watermark}, in timestamp order. */
        private void evaluateUpTo(Instant watermark, List<AlertTransition> out) {
            while (!buffer.isEmpty() && !buffer.peek().recordedAt().isAfter(watermark)) {
                Reading next = buffer.poll();
                if (evaluated != null && !next.recordedAt().isAfter(evaluated)) {
                    continue;
                }
                evaluated = next.recordedAt();
                for (RuleTracker tracker : trackers) {
                    AlertTransition transition = tracker.accept(next);
                    if (transition != null) {
                        out.add(transition);
                    }
                }
            }
        }
    }
}
