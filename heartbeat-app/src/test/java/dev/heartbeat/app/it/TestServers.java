package dev.heartbeat.app.it;

import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;

import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

/**
 * A real Kafka broker with the readings topic and a real PostgreSQL server, on free ports in a temporary
 * directory, shared by the tests of one class: a JUnit extension that starts them before the class's
 * {@code @BeforeAll} methods and stops them after its {@code @AfterAll} methods.
 *
 * <pre>{@code @RegisterExtension static final TestServers servers = new TestServers();}</pre>
 */
final class TestServers implements BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private int kafkaPort;
    private int kafkaControllerPort;
    private int dbPort;
    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;
    private KafkaSettings topic;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("heartbeat-it");
        kafkaPort = freePort();
        kafkaControllerPort = freePort();
        dbPort = freePort();
        try {
            startKafka();
            startDatabase();
            topic = createTopic();
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose successor is free too: the demo's embedded Kafka puts its controller on the next port. */
    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                if (port < 65535) {
                    try (ServerSocket next = new ServerSocket(port + 1)) {
                        return port;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no two adjacent free ports found in 50 attempts");
    }

    private void startKafka() throws IOException {
        kafka = EmbeddedKafka.start(directory.resolve("kafka"), "127.0.0.1", kafkaPort, kafkaControllerPort);
    }

    void startDatabase() throws IOException {
        database = EmbeddedDatabase.start(directory.resolve("postgres"), dbPort, "heartbeat");
    }

    void stopDatabase() throws IOException {
        database.close();
        database = null;
    }

    /** The settings that reach the readings topic (3 partitions, one replica), created before the class's tests. */
    KafkaSettings kafka() {
        return topic;
    }

    private KafkaSettings createTopic() {
        KafkaSettings settings = KafkaSettings.singleBroker(bootstrap()).withTopic("heartbeat-data", 3);
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            admin.ensureTopic();
        }
        return settings;
    }

    /** The built jar's {@code consume} command against these servers, logging to {@code output}. */
    ChildProcess consumer(Path output, List<String> jvmOptions, String... extraArgs) throws IOException {
        return consumerAs("postgres", "", output, jvmOptions, extraArgs);
    }

    /** A consumer connecting as {@code user} with {@code password} (given through the environment, as in production). */
    ChildProcess consumerAs(String user, String password, Path output, List<String> jvmOptions, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("consume", "--kafka-bootstrap", bootstrap(), "--kafka-replication-factor", "1",
                "--jdbc-url", jdbcUrl(), "--db-user", user, "--status-every", "2s"));
        args.addAll(List.of(extraArgs));
        return ChildProcess.start(output, jvmOptions, java.util.Map.of("HEARTBEAT_DB_PASSWORD", password), args.toArray(String[]::new));
    }

    /** Runs {@code sql} as the superuser (test statements only). */
    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
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

    private void stop() throws IOException {
        try {
            if (database != null) {
                database.close();
                database = null;
            }
        } finally {
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
        }
    }
}
