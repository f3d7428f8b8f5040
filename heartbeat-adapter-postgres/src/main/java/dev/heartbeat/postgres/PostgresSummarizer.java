package dev.heartbeat.postgres;

import org.jdbi.v3.core.Jdbi;

import java.util.Objects;

/**
 * Brings the dashboard's summaries (latest reading per customer, per-minute and per-day rollups, minute
 * totals) up to date with the readings committed so far, in bulk (SQL function heartbeat_summarize()).
 * Queries are exact either way, since they add what is not summarized yet; summarizing keeps that part
 * small. {@link PostgresReadingStore} calls it as its settings say; anyone may call it (a bulk import, a
 * scheduler). Concurrent calls do not wait for one another: all but one return 0 at once.
 */
public final class PostgresSummarizer {

    private final Jdbi jdbi;

    public PostgresSummarizer(PostgresDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    }

    /**
     * @return how many readings it added to the summaries (0 when another call was at work)
     * @throws dev.heartbeat.core.StoreUnavailableException when the database cannot be reached
     */
    public long summarize() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT heartbeat_summarize()").mapTo(Long.class).one());
        } catch (RuntimeException e) {
            throw SqlFailures.translate("summarizing readings", e);
        }
    }
}
