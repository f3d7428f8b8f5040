package dev.heartbeat.postgres;

import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.SilenceRequest;
import dev.heartbeat.core.port.SilenceStore;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.CustomerId;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The silences in PostgreSQL ({@code silences}): what every consumer's dispatcher and the dashboard share. */
public final class PostgresSilenceStore implements SilenceStore {

    private static final String COLUMNS = "id, customer_id, rule, severity, includes_critical, starts_at, ends_at, reason, "
            + "created_by, created_at, ended_at, ended_by";
    /** When a silence stops muting: its end, or when someone ended it, whichever is first. */
    private static final String OVER = "least(ends_at, coalesce(ended_at, ends_at))";

    private final Jdbi jdbi;

    public PostgresSilenceStore(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    @Override
    public Silence create(SilenceRequest request, String author, Instant at) {
        return run("storing a silence", () -> jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO silences (customer_id, rule, severity, includes_critical, starts_at, ends_at, reason,
                            created_by, created_at)
                        VALUES (:customer, :rule, :severity, :critical, :startsAt, :endsAt, :reason, :by, :at)
                        RETURNING\s""" + COLUMNS)
                .bind("customer", request.customer().map(CustomerId::value).orElse(null))
                .bind("rule", request.rule().orElse(null))
                .bind("severity", request.severity().map(AnomalyLevel::wireName).orElse(null))
                .bind("critical", request.includesCritical())
                .bind("startsAt", request.startsAt())
                .bind("endsAt", request.endsAt())
                .bind("reason", request.reason())
                .bind("by", author)
                .bind("at", at)
                .map((rs, ctx) -> silence(rs))
                .one()));
    }

    @Override
    public List<Silence> current(Instant now) {
        return run("reading the silences", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM silences WHERE " + OVER + " > :now ORDER BY " + OVER + ", id")
                .bind("now", now)
                .map((rs, ctx) -> silence(rs))
                .list()));
    }

    @Override
    public List<Silence> ended(Instant now, Instant since, int limit) {
        return run("reading the ended silences", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM silences WHERE " + OVER + " <= :now AND " + OVER + " >= :since"
                                + " ORDER BY " + OVER + " DESC, id DESC LIMIT :limit")
                .bind("now", now)
                .bind("since", since)
                .bind("limit", limit)
                .map((rs, ctx) -> silence(rs))
                .list()));
    }

    @Override
    public Optional<Silence> silence(long id) {
        return run("reading a silence", () -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM silences WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> silence(rs))
                .findOne()));
    }

    @Override
    public Optional<Silence> end(long id, String by, Instant at) {
        run("ending a silence", () -> jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE silences SET ended_at = :at, ended_by = :by WHERE id = :id AND " + OVER + " > :at")
                .bind("id", id)
                .bind("by", by)
                .bind("at", at)
                .execute()));
        return silence(id);
    }

    private static Silence silence(ResultSet rs) throws SQLException {
        SilenceRequest request = new SilenceRequest(
                Optional.ofNullable(rs.getString("customer_id")).map(CustomerId::of),
                Optional.ofNullable(rs.getString("rule")),
                Optional.ofNullable(rs.getString("severity")).map(s -> AnomalyLevel.fromWireName(s).orElseThrow()),
                rs.getBoolean("includes_critical"),
                rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(),
                rs.getString("reason"));
        return new Silence(rs.getLong("id"), request, rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(rs.getTimestamp("ended_at")).map(Timestamp::toInstant),
                Optional.ofNullable(rs.getString("ended_by")));
    }

    private static <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }
}
