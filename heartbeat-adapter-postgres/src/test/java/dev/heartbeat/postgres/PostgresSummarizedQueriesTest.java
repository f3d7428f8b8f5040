package dev.heartbeat.postgres;

import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ReadingQueries;
import dev.heartbeat.core.port.ReadingQueriesContract;
import dev.heartbeat.core.port.ReadingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Collection;
import java.util.Map;

/**
 * Core's query contract against PostgreSQL with the summaries in play: the fixture is summarized after
 * every second batch, so answers combine summarized readings (customers, minute rollups and totals) with
 * readings not summarized yet, including minutes that have some of each.
 */
class PostgresSummarizedQueriesTest extends ReadingQueriesContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.open("summarized_contract");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected ReadingStore emptyStore() {
        TestDatabases.truncate(database);
        PostgresReadingStore store = new PostgresReadingStore(database);
        PostgresSummarizer summarizer = new PostgresSummarizer(database);
        return new ReadingStore() {
            private int writes;

            @Override
            public WriteOutcome write(StoreBatch batch) {
                WriteOutcome outcome = store.write(batch);
                if (++writes % 2 == 0) {
                    summarizer.summarize();
                }
                return outcome;
            }

            @Override
            public Map<StreamPartition, Long> positions(Collection<StreamPartition> partitions) {
                return store.positions(partitions);
            }

            @Override
            public boolean skip(dev.heartbeat.core.stream.StreamGap gap) {
                return store.skip(gap);
            }

            @Override
            public dev.heartbeat.core.stream.TopicBinding bindTopic(String topic, String topicId, boolean replace,
                                                                     java.time.Instant now) {
                return store.bindTopic(topic, topicId, replace, now);
            }
        };
    }

    @Override
    protected ReadingQueries queriesOf(ReadingStore store) {
        return new PostgresReadingQueries(database);
    }
}
