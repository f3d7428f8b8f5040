package dev.heartbeat.core.validation;

/**
 * What a decoder made of one message's bytes: either its raw fields ({@link RawReading}) or the
 * reason it could not even get that far ({@link Undecodable}). Both go to {@link ReadingValidator},
 * so every rejection in the system is decided in one place.
 */
public sealed interface RawMessage permits RawReading, Undecodable {
}
