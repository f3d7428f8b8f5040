package dev.heartbeat.app.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the demo's embedded servers keep their data and listen. */
public final class EmbeddedOptions {

    @Option(names = "--data-dir", defaultValue = "heartbeat-data",
            description = "Directory of the embedded Kafka log and PostgreSQL data, kept across restarts (default ${DEFAULT-VALUE}; env HEARTBEAT_DATA_DIR).")
    Path dataDir;

    @Option(names = "--embedded-kafka-port", defaultValue = "9092",
            description = "Port of the embedded Kafka broker (its controller uses the next one) (default ${DEFAULT-VALUE}; env HEARTBEAT_EMBEDDED_KAFKA_PORT).")
    int kafkaPort;

    @Option(names = "--embedded-db-port", defaultValue = "5432",
            description = "Port of the embedded PostgreSQL (default ${DEFAULT-VALUE}; env HEARTBEAT_EMBEDDED_DB_PORT).")
    int dbPort;

    public Path dataDir() {
        return dataDir;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int dbPort() {
        return dbPort;
    }
}
