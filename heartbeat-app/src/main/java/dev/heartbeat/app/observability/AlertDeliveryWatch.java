package dev.heartbeat.app.observability;

import dev.heartbeat.core.delivery.AlertDispatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Whether alerts reach their sinks: the dispatcher's deliveries and failed attempts as
 * {@code heartbeat_alert_deliveries_total{outcome}} (with those silences held back), and, checked periodically, one WARN line while
 * attempts fail (with the last error) and one INFO line when deliveries succeed again. A failing
 * receiver is otherwise silent: the dispatcher retries from the outbox with back-off, as it should.
 */
public final class AlertDeliveryWatch {

    private static final Logger log = LoggerFactory.getLogger(AlertDeliveryWatch.class);

    private final AlertDispatcher dispatcher;
    private long failuresSeen;
    private long deliveredSeen;
    private boolean failing;

    public AlertDeliveryWatch(AlertDispatcher dispatcher, MeterRegistry registry) {
        this.dispatcher = dispatcher;
        FunctionCounter.builder("heartbeat.alert.deliveries", dispatcher, AlertDispatcher::delivered).tag("outcome", "delivered")
                .description("Alert transitions delivered to every sink").register(registry);
        FunctionCounter.builder("heartbeat.alert.deliveries", dispatcher, AlertDispatcher::failures).tag("outcome", "failed")
                .description("Failed attempts to deliver an alert transition (each retried from the outbox)").register(registry);
        FunctionCounter.builder("heartbeat.alert.deliveries", dispatcher, AlertDispatcher::held).tag("outcome", "held")
                .description("Alert transitions held back by a silence (delivered once it is over, if still true)").register(registry);
    }

    /** Since the last check: the line to log, if the state changed or attempts still fail. */
    public Optional<String> check() {
        long failures = dispatcher.failures();
        long delivered = dispatcher.delivered();
        long newFailures = failures - failuresSeen;
        long newDeliveries = delivered - deliveredSeen;
        failuresSeen = failures;
        deliveredSeen = delivered;
        if (newFailures > 0) {
            failing = true;
            return Optional.of("Alert delivery failing: " + newFailures + " attempts failed since the last check and are"
                    + " retried with back-off; last error: " + dispatcher.lastError());
        }
        if (failing && newDeliveries > 0) {
            failing = false;
            return Optional.of("Alert delivery works again");
        }
        return Optional.empty();
    }

    /** {@link #check()}, logged. */
    public void checkAndLog() {
        check().ifPresent(line -> {
            if (failing) {
                log.warn(line);
            } else {
                log.info(line);
            }
        });
    }
}
