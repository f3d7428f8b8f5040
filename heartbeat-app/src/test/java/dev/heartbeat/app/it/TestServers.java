package dev.heartbeat.app.it;

import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;

import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTestCluster;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real Kafka broker with the readings topic and a real PostgreSQL server, on free ports in a temporary
 * directory, shared by the tests of one class: a JUnit extension that starts them before the class's
 * {@code @BeforeAll} methods and stops them after its {@code @AfterAll} methods.
 *
 * <pre>{@code @RegisterExtension static final TestServers servers = new TestServers();}</pre>
 *
 * <p>{@link #withThreeBrokers()} gives the production shape instead: three brokers (and a controller) in
 * the test JVM, the topic replicated three times with {@code min.insync.replicas=2}, and consumers that
 * leave the replication to the defaults.
 */
final class TestServers implements BeforeAllCallback, AfterAllCallback {

    private final boolean threeBrokers;
    private KafkaTestCluster cluster;
    private Path directory;
    private int kafkaPort;
    private int kafkaControllerPort;
    private int dbPort;
    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;
    private KafkaSettings topic;

    TestServers() {
        this(false);
    }

    private TestServers(boolean threeBrokers) {
        this.threeBrokers = threeBrokers;
    }

    static TestServers withThreeBrokers() {
        return new TestServers(true);
    }

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
        if (!threeBrokers) {
            kafka = EmbeddedKafka.start(directory.resolve("kafka"), "127.0.0.1", kafkaPort, kafkaControllerPort);
            return;
        }
        try {
            cluster = KafkaTestCluster.start(3);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the three-broker cluster did not start", e);
        }
    }

    /** Stops the broker that leads {@code partition} of the readings topic, for good, as a crash would; its id. */
    int stopLeaderOf(int partition) throws Exception {
        int leader = cluster.leaderOf(topic.topic(), partition);
        cluster.shutdownBroker(leader);
        return leader;
    }

    void startDatabase() throws IOException {
        database = EmbeddedDatabase.start(directory.resolve("postgres"), dbPort, "heartbeat");
    }

    void stopDatabase() throws IOException {
        database.close();
        database = null;
    }

    /** The settings that reach the readings topic (3 partitions, one replica or three), created before the class's tests. */
    KafkaSettings kafka() {
        return topic;
    }

    /** Publishes {@code readings} to the topic and waits until the brokers have every one. */
    void publish(List<Reading> readings) throws Exception {
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(kafka())) {
            List<java.util.concurrent.CompletableFuture<Void>> sent = new ArrayList<>();
            for (Reading reading : readings) {
                sent.add(publisher.publish(reading));
            }
            publisher.flush();
            java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        }
    }

    private KafkaSettings createTopic() {
        KafkaSettings settings = (threeBrokers ? KafkaSettings.defaults(bootstrap()) : KafkaSettings.singleBroker(bootstrap()))
                .withTopic("heartbeat-data", 3);
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
        List<String> args = new ArrayList<>(List.of("consume", "--kafka-bootstrap", bootstrap(),
                "--jdbc-url", jdbcUrl(), "--db-user", user, "--status-every", "2s"));
        if (!threeBrokers) {
            args.addAll(List.of("--kafka-replication-factor", "1"));
        }
        args.addAll(List.of(extraArgs));
        return ChildProcess.start(output, jvmOptions, java.util.Map.of("HEARTBEAT_DB_PASSWORD", password), args.toArray(String[]::new));
    }

    /**
     * Asserts that the store holds exactly what {@code publishing} published: every reading once, every
     * bad message rejected once, no message processed twice.
     */
    void assertExactlyOnce(Publishing publishing) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet totals = s.executeQuery(
                    "SELECT sum(stored), sum(rejected), sum(duplicates), sum(messages) FROM stream_positions")) {
                totals.next();
                assertEquals(publishing.readings.size(), totals.getLong(1), "stored");
                assertEquals(publishing.poison.get(), totals.getLong(2), "rejected");
                assertEquals(0, totals.getLong(3), "no duplicate: no message was processed twice");
                assertEquals(totals.getLong(4), totals.getLong(1) + totals.getLong(2) + totals.getLong(3));
            }
            Set<Reading> stored = new HashSet<>();
            try (ResultSet rows = s.executeQuery(
                    "SELECT customer_id, recorded_at, heart_rate, activity FROM heartbeat_records")) {
                while (rows.next()) {
                    stored.add(new Reading(CustomerId.of(rows.getString(1)),
                            rows.getObject(2, OffsetDateTime.class).toInstant(), rows.getInt(3),
                            Activity.fromWireName(rows.getString(4)).orElseThrow()));
                }
            }
            assertEquals(publishing.readings, stored, "exactly the published readings, each once");
            assertEquals(publishing.poison.get(), count("SELECT count(*) FROM rejected_readings"));
        }
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
        return threeBrokers ? cluster.bootstrapServers() : "127.0.0.1:" + kafkaPort;
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
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
        }
    }
}
