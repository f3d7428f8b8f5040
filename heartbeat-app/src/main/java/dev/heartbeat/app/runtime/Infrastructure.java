package dev.heartbeat.app.runtime;

import dev.heartbeat.app.embedded.EmbeddedDatabase;
import dev.heartbeat.app.embedded.EmbeddedKafka;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.EmbeddedOptions;
import dev.heartbeat.app.options.KafkaOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kafka cluster and the PostgreSQL server a process uses: the ones given on the command line
 * or in the environment, or, for the demo, embedded ones started here (and closed with this).
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
    private static final String HOST = "127.0.0.1";

    private final String kafkaBootstrap;
    private final String jdbcUrl;
    private final Optional<EmbeddedKafka> embeddedKafka;
    private final Optional<EmbeddedDatabase> embeddedDatabase;

    private Infrastructure(String kafkaBootstrap, String jdbcUrl, Optional<EmbeddedKafka> embeddedKafka,
                           Optional<EmbeddedDatabase> embeddedDatabase) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.jdbcUrl = jdbcUrl;
        this.embeddedKafka = embeddedKafka;
        this.embeddedDatabase = embeddedDatabase;
    }

    /** The given servers, or embedded ones for what is not given. */
    public static Infrastructure givenOrEmbedded(KafkaOptions kafka, DatabaseOptions database, EmbeddedOptions embedded) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Optional<EmbeddedKafka> ownKafka = Optional.empty();
            String bootstrap = kafka.bootstrap().orElse(null);
            if (bootstrap == null) {
                Ports.requireFree(HOST, embedded.kafkaPort(), "--embedded-kafka-port");
                Ports.requireFree(HOST, embedded.kafkaPort() + 1, "--embedded-kafka-port (its controller uses the next port)");
                EmbeddedKafka broker = EmbeddedKafka.start(embedded.dataDir().resolve("kafka"), HOST, embedded.kafkaPort(),
                        embedded.kafkaPort() + 1);
                started.add(broker);
                ownKafka = Optional.of(broker);
                bootstrap = broker.bootstrapServers();
            }
            Optional<EmbeddedDatabase> ownDatabase = Optional.empty();
            String url = database.jdbcUrl().orElse(null);
            if (url == null) {
                Ports.requireFree(HOST, embedded.dbPort(), "--embedded-db-port");
                EmbeddedDatabase server = EmbeddedDatabase.start(embedded.dataDir().resolve("postgres"), embedded.dbPort(),
                        "heartbeat");
                started.add(server);
                ownDatabase = Optional.of(server);
                url = server.jdbcUrl();
            }
            return new Infrastructure(bootstrap, url, ownKafka, ownDatabase);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable server : started.reversed()) {
                closeQuietly(server);
            }
            if (e instanceof ConfigurationException configuration) {
                throw configuration;
            }
            throw new ConfigurationException("could not start the embedded servers under " + embedded.dataDir()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Only the servers given (for commands that never embed): a clear error for what is missing. */
    public static Infrastructure given(Optional<KafkaOptions> kafka, Optional<DatabaseOptions> database) {
        String bootstrap = kafka.map(k -> k.bootstrap().orElseThrow(() -> new ConfigurationException(
                "no Kafka given: pass --kafka-bootstrap HOST:PORT or set HEARTBEAT_KAFKA_BOOTSTRAP"))).orElse(null);
        String url = database.map(d -> d.jdbcUrl().orElseThrow(() -> new ConfigurationException(
                "no database given: pass --jdbc-url jdbc:postgresql://HOST:PORT/DB or set HEARTBEAT_JDBC_URL"))).orElse(null);
        return new Infrastructure(bootstrap, url, Optional.empty(), Optional.empty());
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean embeddedDatabase() {
        return embeddedDatabase.isPresent();
    }

    public boolean embeddedKafka() {
        return embeddedKafka.isPresent();
    }

    @Override
    public void close() {
        embeddedDatabase.ifPresent(Infrastructure::closeQuietly);
        embeddedKafka.ifPresent(Infrastructure::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
