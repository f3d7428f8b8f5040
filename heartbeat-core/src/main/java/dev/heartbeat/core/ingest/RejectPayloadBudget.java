package dev.heartbeat.core.ingest;

import dev.heartbeat.core.stream.RejectedMessage;
import dev.heartbeat.core.validation.RejectReason;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many reject payloads an ingest loop stores: every reject is recorded and counted (its position,
 * reason, detail and size), but per reason and minute only the first {@value #PER_REASON_PER_MINUTE}
 * keep their payload, and beyond those one in {@value #SAMPLE_EVERY} does (a sample to look at). A flood
 * of garbage of 64 KiB a message therefore costs the database about a row's worth of bytes per message,
 * not its payload, while the counts stay exact.
 */
final class RejectPayloadBudget {

    static final int PER_REASON_PER_MINUTE = 100;
    static final int SAMPLE_EVERY = 1_000;

    private static final class Window {
        long minute = Long.MIN_VALUE;
        long rejects;
    }

    private final Map<RejectReason, Window> windows = new EnumMap<>(RejectReason.class);

    /** {@code reject} as it is stored: with its payload while the budget lasts, else without. */
    RejectedMessage apply(RejectedMessage reject, Instant now) {
        if (reject.payload().length == 0) {
            return reject;
        }
        Window window = windows.computeIfAbsent(reject.reason(), reason -> new Window());
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        if (window.minute != minute) {
            window.minute = minute;
            window.rejects = 0;
        }
        long n = ++window.rejects;
        if (n <= PER_REASON_PER_MINUTE || (n - PER_REASON_PER_MINUTE) % SAMPLE_EVERY == 0) {
            return reject;
        }
        return reject.withoutPayload();
    }
}
