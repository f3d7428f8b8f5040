package dev.heartbeat.web;

import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import io.javalin.http.sse.SseClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One open live stream: the customers it follows and what is waiting to be sent to it. Updates
 * coalesce while a send is in flight (a slow client gets the newest reading per customer, never a
 * growing queue), and at most one task writes to the connection at a time. No thread waits on a
 * client between sends.
 */
final class StreamClient {

    /** One event to write: its name and its JSON data, or a comment when {@code name} is null. */
    record Event(String name, String data) {
    }

    private final SseClient sse;
    private final Set<CustomerId> customers;
    private final Map<CustomerId, Reading> pendingReadings = new LinkedHashMap<>();
    private final List<Event> pendingEvents = new ArrayList<>();
    private final Runnable onClose;
    private boolean sending;

    StreamClient(SseClient sse, Set<CustomerId> customers, Runnable onClose) {
        this.sse = Objects.requireNonNull(sse, "sse");
        this.customers = Set.copyOf(customers);
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /** What to run once this client is gone (its identity's stream share given back). */
    Runnable onClose() {
        return onClose;
    }

    boolean isClosed() {
        return sse.terminated();
    }

    void close() {
        sse.close();
    }

    /**
     * Adds what changed for this client's customers and any extra event; answers whether the caller
     * must start a send task (none is running and there is something to send).
     */
    synchronized boolean offer(Map<CustomerId, Reading> changed, Event event) {
        if (!customers.isEmpty() && !changed.isEmpty()) {
            // walk the smaller side: a client follows up to a few hundred customers, a tick may hold thousands
            if (customers.size() <= changed.size()) {
                for (CustomerId id : customers) {
                    Reading r = changed.get(id);
                    if (r != null) {
                        pendingReadings.merge(id, r, LiveStream::newer);
                    }
                }
            } else {
                changed.forEach((id, r) -> {
                    if (customers.contains(id)) {
                        pendingReadings.merge(id, r, LiveStream::newer);
                    }
                });
            }
        }
        if (event != null) {
            pendingEvents.add(event);
        }
        if (sending || (pendingReadings.isEmpty() && pendingEvents.isEmpty())) {
            return false;
        }
        sending = true;
        return true;
    }

    /**
     * Sends until nothing is pending; run by one task at a time (see {@link #offer}). A write that
     * fails closes the stream (Javalin then runs the close callback that removes the client).
     */
    void drain(Function<Map<CustomerId, Reading>, String> readingsJson) {
        try {
            while (true) {
                Map<CustomerId, Reading> readings;
                List<Event> events;
                synchronized (this) {
                    if ((pendingReadings.isEmpty() && pendingEvents.isEmpty()) || sse.terminated()) {
                        sending = false;
                        return;
                    }
                    readings = pendingReadings.isEmpty() ? Map.of() : new LinkedHashMap<>(pendingReadings);
                    pendingReadings.clear();
                    events = new ArrayList<>(pendingEvents);
                    pendingEvents.clear();
                }
                for (Event event : events) {
                    if (sse.terminated()) {
                        break;
                    }
                    if (event.name() == null) {
                        sse.sendComment(event.data());
                    } else {
                        sse.sendEvent(event.name(), event.data());
                    }
                }
                if (!readings.isEmpty() && !sse.terminated()) {
                    sse.sendEvent("readings", readingsJson.apply(readings));
                }
            }
        } catch (RuntimeException failed) {
            synchronized (this) {
                sending = false;
                pendingReadings.clear();
                pendingEvents.clear();
            }
            sse.close();
            throw failed;
        }
    }
}
