package dev.heartbeat.core.validation;

import dev.heartbeat.core.reading.Reading;

import java.util.Objects;

/** The four fields of a reading message, as decoded and not yet validated. */
public record RawReading(RawValue customerId, RawValue timestamp, RawValue heartRate, RawValue state)
        implements RawMessage {

    public RawReading {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(heartRate, "heartRate");
        Objects.requireNonNull(state, "state");
    }

    /** The raw form of a valid reading, as a decoder would produce it from a well-formed message. */
    public static RawReading of(Reading reading) {
        return new RawReading(
                RawValue.text(reading.customerId().value()),
                RawValue.text(reading.recordedAt().toString()),
                RawValue.number(reading.heartRate()),
                RawValue.text(reading.activity().wireName()));
    }
}
