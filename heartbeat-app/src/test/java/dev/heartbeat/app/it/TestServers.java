package dev.heartbeat.app.it;

import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;

import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A real Kafka broker and a real PostgreSQL server for a test class, on free ports in a temporary directory. */
final class TestServers implements AutoCloseable {

    final Path directory;
    final int kafkaPort;
    final int kafkaControllerPort;
    final int dbPort;
    EmbeddedKafka kafka;
    EmbeddedDatabase database;

    TestServers() throws IOException {
        directory = Files.createTempDirectory("heartbeat-it");
        kafkaPort = freePort();
        kafkaControllerPort = freePort();
        dbPort = freePort();
        startKafka();
        startDatabase();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    void startKafka() throws IOException {
        kafka = EmbeddedKafka.start(directory.resolve("kafka"), "127.0.0.1", kafkaPort, kafkaControllerPort);
    }

    void startDatabase() throws IOException {
        database = EmbeddedDatabase.start(directory.resolve("postgres"), dbPort, "heartbeat");
    }

    void stopDatabase() throws IOException {
        database.close();
        database = null;
    }

    /** Creates the readings topic (3 partitions, one replica) and returns the settings to reach it. */
    KafkaSettings createTopic() {
        KafkaSettings settings = KafkaSettings.singleBroker(bootstrap()).withTopic("heartbeat-data", 3);
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            admin.ensureTopic();
        }
        return settings;
    }

    /** The built jar's {@code consume} command against these servers, logging to {@code output}. */
    ChildProcess consumer(Path output, List<String> jvmOptions, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("consume", "--kafka-bootstrap", bootstrap(), "--kafka-replication-factor", "1",
                "--jdbc-url", jdbcUrl(), "--db-user", "postgres", "--status-every", "2s"));
        args.addAll(List.of(extraArgs));
        return ChildProcess.start(output, jvmOptions, args.toArray(String[]::new));
    }

    /** Messages the store has accounted for: stored + rejected + duplicates over every partition. */
    long accounted() {
        return count("SELECT coalesce(sum(messages), 0) FROM stream_positions");
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + dbPort + "/heartbeat";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), EmbeddedDatabase.USER, "");
    }

    /** The single number {@code sql} selects, or -1 when the table does not exist yet or the server is down. */
    long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
