package dev.heartbeat.core.port;

import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The silences people made (stored, so that they survive restarts and every consumer's dispatcher
 * sees the same ones): created, listed, ended early.
 */
public interface SilenceStore {

    /** Stores a checked request ({@link SilenceRequest#checkedAt}) made by {@code author} at {@code at}. */
    Silence create(SilenceRequest request, String author, Instant at);

    /** The silences not over at {@code now} (in effect, or starting later), soonest end first. */
    List<Silence> current(Instant now);

    /** The silences in effect at {@code now}: started and not over. */
    default List<Silence> inEffect(Instant now) {
        return current(now).stream().filter(s -> s.inEffectAt(now)).toList();
    }

    /** The silences over at {@code now} that ended at or after {@code since}, latest first, at most {@code limit}. */
    List<Silence> ended(Instant now, Instant since, int limit);

    /** One silence by id. */
    Optional<Silence> silence(long id);

    /**
     * Ends a silence at {@code at}, recording who did; a silence already over is left as it was (the
     * first ending is kept). Empty when there is no such silence.
     */
    Optional<Silence> end(long id, String by, Instant at);
}
