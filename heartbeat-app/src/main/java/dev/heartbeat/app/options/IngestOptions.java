package dev.heartbeat.app.options;

import picocli.CommandLine.Option;

/** How a consuming process ingests. */
public final class IngestOptions {

    /** Most ingest threads one process may run; a topic with fewer partitions leaves the rest idle. */
    public static final int MAX_THREADS = 32;

    @Option(names = "--ingest-threads", defaultValue = "3",
            description = "Ingest threads in this process, each a member of the consumer group with partitions, a writer "
                    + "and a database connection of its own (1-" + MAX_THREADS + ", default ${DEFAULT-VALUE}; "
                    + "env HEARTBEAT_INGEST_THREADS). More than the topic's partitions stay idle.")
    int threads;

    @Option(names = "--replace-topic",
            description = "The readings topic was deleted and made again (another topic id): forget the positions stored "
                    + "for the old one, recording each as a gap, and read the new topic from its start. Without it such a "
                    + "consumer stops with one line saying so (env HEARTBEAT_REPLACE_TOPIC).")
    boolean replaceTopic;

    /** Whether the positions of a topic deleted and made again are to be replaced. */
    public boolean replaceTopic() {
        return replaceTopic;
    }

    /**
     * The smallest database pool for {@code threads} ingest threads: each holds up to two connections (the
     * batch being written, the next one's lookups), the summaries and the alert dispatcher one each.
     */
    public static int poolSizeFor(int threads) {
        return 2 * threads + 2;
    }

    /** The number of ingest threads, checked against the range. */
    public int threads() {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new ConfigurationException("--ingest-threads must be 1-" + MAX_THREADS + ", got " + threads);
        }
        return threads;
    }

    /** The number of ingest threads, checked against the range and against the database pool they draw on. */
    public int threads(DatabaseOptions database) {
        threads();
        int needed = poolSizeFor(threads);
        if (database.poolSize < needed) {
            throw new ConfigurationException("--db-pool-size " + database.poolSize + " is too small for --ingest-threads "
                    + threads + ": make it at least " + needed);
        }
        return threads;
    }
}
