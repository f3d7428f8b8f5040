package dev.heartbeat.core.alert;

import dev.heartbeat.core.InvalidValueException;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone has seen an alert and taken it on: who (as they signed in), when, and what they noted (what
 * they did or found: "called, sensor loose, refitted").
 */
public record Acknowledgement(String by, Instant at, Optional<String> note) {

    public static final int MAX_BY_LENGTH = 80;
    public static final int MAX_NOTE_LENGTH = 500;

    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(note, "note");
        if (by.isBlank() || by.length() > MAX_BY_LENGTH || by.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("an acknowledgement names who made it: 1-" + MAX_BY_LENGTH
                    + " printable characters");
        }
        note = note.map(String::strip).filter(text -> !text.isEmpty());
        if (note.isPresent() && (note.get().length() > MAX_NOTE_LENGTH
                || note.get().chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            throw new InvalidValueException("an acknowledgement's note is at most " + MAX_NOTE_LENGTH
                    + " printable characters (line breaks allowed)");
        }
    }

    /** An acknowledgement without a note. */
    public Acknowledgement(String by, Instant at) {
        this(by, at, Optional.empty());
    }
}
