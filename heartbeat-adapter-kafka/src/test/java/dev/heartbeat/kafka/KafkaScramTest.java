package dev.heartbeat.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.PublishException;
import dev.heartbeat.core.port.ConsumerLag.PartitionLag;
import dev.heartbeat.core.reading.Reading;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.test.api.TestKitDefaults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter over SASL/SCRAM-SHA-512 on a real broker: nothing but client properties changes. With the
 * right password the topic admin, publisher, source (under core's ingest loop) and lag all work and every
 * reading is stored exactly once; with a wrong one each of them fails within seconds with a message that
 * names the cluster and the user and says what to check, and no log line or message shows a password.
 */
class KafkaScramTest {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(KafkaScramTest.class);

    /** The only listener the clients under test are given. */
    private static final String SCRAM_LISTENER = "SCRAM";
    private static final String USER = "heartbeat-ingest";
    private static final String PASSWORD = "Pulse-7f3c9a1e-right";
    private static final String WRONG_PASSWORD = "Pulse-0b2d4e6f-wrong";
    /** What "fails fast" means here: well inside the 30 s admin timeout and the 2 min delivery timeout. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(15);

    static KafkaTestCluster cluster;
    static String scramBootstrap;
    /** The clients' own logs and their configuration dumps (AbstractConfig), raised to INFO for this class. */
    static final List<Logger> clientLogs = List.of((Logger) LoggerFactory.getLogger("org.apache.kafka.clients"),
            (Logger) LoggerFactory.getLogger("org.apache.kafka.common.config.AbstractConfig"));

    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger rootLog = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeAll
    static void startCluster() throws Exception {
        // The kit's own plaintext listener stays the inter-broker listener, and only the test's admin uses
        // it (to create the user); the clients under test get the address of a second listener that speaks
        // SASL_PLAINTEXT and accepts SCRAM-SHA-512 alone. Why not make the kit's listener SASL: the kit
        // then sets up PLAIN (its own JAAS file installed JVM-wide, its own users, an ACL authorizer), and
        // a SCRAM inter-broker listener would need a broker credential before the brokers can talk, i.e.
        // bootstrapped into the metadata at format time. A listener of our own touches no JVM-wide state,
        // and the user is created as in production: Admin#alterUserScramCredentials, kept in the KRaft
        // metadata log (KRaft needs no ZooKeeper for SCRAM since 3.5).
        String external = TestKitDefaults.DEFAULT_BROKER_LISTENER_NAME;
        String controller = TestKitDefaults.DEFAULT_CONTROLLER_LISTENER_NAME;
        Map<String, String> scramListener = Map.of(
                // port 0: the kit's listener keeps its pre-bound socket, ours gets a free port
                "listeners", external + "://localhost:0," + SCRAM_LISTENER + "://localhost:0",
                "listener.security.protocol.map", external + ":PLAINTEXT," + controller + ":PLAINTEXT,"
                        + SCRAM_LISTENER + ":SASL_PLAINTEXT",
                "listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512",
                // the server side of SCRAM needs the login module but no user of its own: no broker logs in here
                "listener.name.scram.scram-sha-512.sasl.jaas.config", ScramLoginModule.class.getName() + " required;");
        cluster = KafkaTestCluster.start(1, scramListener);
        scramBootstrap = cluster.bootstrapServers(SCRAM_LISTENER);
        cluster.admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD))).all().get(30, TimeUnit.SECONDS);
        awaitLogin();
        // at INFO every client logs its configuration: the checks below see that the JAAS config is hidden there
        clientLogs.forEach(log -> log.setLevel(Level.INFO));
    }

    /** The credential reaches the broker through the metadata log: wait until the broker logs the user in. */
    private static void awaitLogin() throws Exception {
        Map<String, Object> config = new HashMap<>(scram(USER, PASSWORD));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, scramBootstrap);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopCluster() {
        clientLogs.forEach(log -> log.setLevel(null)); // back to what logback-test.xml says
        cluster.close();
    }

    @BeforeEach
    void captureLogs() {
        logged.start();
        rootLog.addAppender(logged);
    }

    @AfterEach
    void noPasswordWasLogged() {
        rootLog.detachAppender(logged);
        for (ILoggingEvent event : List.copyOf(logged.list)) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getMessage());
            }
            assertFalse(text.toString().contains(PASSWORD) || text.toString().contains(WRONG_PASSWORD),
                    () -> "a password was logged by " + event.getLoggerName() + ": " + event.getFormattedMessage());
        }
    }

    /** The client properties an operator sets for SCRAM; nothing else in the settings changes. */
    static Map<String, String> scram(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    static KafkaSettings settings(String name, String password) {
        return KafkaSettings.singleBroker(scramBootstrap)
                .withTopic("t-" + name, 3)
                .withGroup("g-" + name, name)
                .withMaxPollRecords(500)
                .withClientProperties(scram(USER, password));
    }

    /** The one-line message the adapter gives when the brokers refuse the password. */
    static String refusedMessage(Throwable kafkaReason) {
        return "Kafka at " + scramBootstrap + " refused the credentials of user " + USER + ": "
                + kafkaReason.getMessage() + "; check the username/password";
    }

    static KafkaPipeline createdWithTheRightPassword(String name) {
        KafkaSettings settings = settings(name, PASSWORD);
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(settings)) {
            assertTrue(admin.ensureTopic(), "the topic of " + name + " should be new");
        }
        return new KafkaPipeline(settings);
    }

    @Test
    void rightPasswordCarriesEveryReadingExactlyOnce() throws Exception {
        KafkaPipeline pipeline = createdWithTheRightPassword("scram");
        assertTrue(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains("t-scram"));
        List<Reading> readings = SimulatedReadings.generate(41, 200, 4_000);

        pipeline.publish(readings); // every send acknowledged, no failure counted
        assertEquals(readings.size(), cluster.messagesIn("t-scram", 3), "messages in the log");
        try (RunningLoop running = RunningLoop.start("scram-loop",
                new KafkaReadingSource(pipeline.settings, RunningLoop.FAST_BACKOFF), pipeline.ingest, new CommittedLog())) {
            pipeline.awaitStored(readings.size(), Duration.ofSeconds(60));
            running.assertRunning();
        }
        pipeline.assertExactlyOnce(readings);

        try (KafkaConsumerLag lag = new KafkaConsumerLag(pipeline.settings, pipeline.store)) {
            List<PartitionLag> lags = lag.lag();
            assertEquals(3, lags.size());
            assertEquals(readings.size(), lags.stream().mapToLong(PartitionLag::endOffset).sum());
            assertTrue(lags.stream().allMatch(l -> l.lag() == 0), () -> "lag after storing everything: " + lags);
        }
        // the clients logged their configuration (so the password check after each test saw it), JAAS hidden
        assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config = [hidden]")),
                "no client logged its configuration");
    }

    @Test
    void wrongPasswordFailsEveryPublishWithinSeconds() throws Exception {
        KafkaPipeline pipeline = createdWithTheRightPassword("denied-publish"); // only the password is wrong
        List<Reading> readings = SimulatedReadings.generate(43, 5, 5);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        long[] firstFailedAt = {Long.MAX_VALUE};
        long start;
        long elapsedNanos;
        try (KafkaReadingPublisher publisher = new KafkaReadingPublisher(
                pipeline.settings.withClientProperties(scram(USER, WRONG_PASSWORD)))) {
            start = System.nanoTime();
            for (Reading reading : readings) {
                CompletableFuture<Void> future = publisher.publish(reading);
                sent.add(future);
                future.whenComplete((ok, error) -> {
                    synchronized (firstFailedAt) {
                        firstFailedAt[0] = Math.min(firstFailedAt[0], System.nanoTime());
                    }
                });
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .handle((ok, error) -> null).get(60, TimeUnit.SECONDS);
            elapsedNanos = System.nanoTime() - start;

            assertEquals(readings.size(), publisher.failures());
            assertEquals(0, publisher.acknowledged());
            assertEquals(Map.of(SaslAuthenticationException.class.getName(), (long) readings.size()),
                    publisher.failuresByCause());
        }
        long firstNanos;
        synchronized (firstFailedAt) {
            firstNanos = firstFailedAt[0] - start;
        }
        LOG.info("wrong password: the first publish failed after {} ms, all {} after {} ms",
                TimeUnit.NANOSECONDS.toMillis(firstNanos), readings.size(), TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
        assertTrue(elapsedNanos < FAIL_FAST.toNanos(), () -> "publishing failed only after "
                + Duration.ofNanos(elapsedNanos) + ", expected within " + FAIL_FAST);

        for (int i = 0; i < readings.size(); i++) {
            Reading reading = readings.get(i);
            ExecutionException failed = assertThrows(ExecutionException.class, sent.get(i)::get);
            PublishException publish = assertInstanceOf(PublishException.class, failed.getCause());
            SaslAuthenticationException reason = assertInstanceOf(SaslAuthenticationException.class, publish.getCause());
            assertEquals("reading of " + reading.customerId() + " at " + reading.recordedAt()
                    + " was not published to t-denied-publish: " + refusedMessage(reason), publish.getMessage());
            assertTrue(reason.getMessage().contains("Authentication failed"), reason::getMessage);
            assertFalse(publish.getMessage().contains(WRONG_PASSWORD), publish::getMessage);
        }
        List<String> publisherWarnings = logged.list.stream()
                .filter(e -> e.getLoggerName().equals(KafkaReadingPublisher.class.getName()) && e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(publisherWarnings.stream().anyMatch(w -> w.contains("refused the credentials of user " + USER)),
                () -> "the publisher's warnings: " + publisherWarnings);
        assertEquals(0, cluster.messagesIn("t-denied-publish", 3), "messages in the log");
    }

    @Test
    void wrongPasswordStopsTopicAdminAndLagWithinSeconds() throws Exception {
        KafkaSettings wrong = settings("denied-admin", WRONG_PASSWORD);
        long start = System.nanoTime();
        HeartbeatException refused;
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(wrong)) {
            refused = assertThrows(HeartbeatException.class, admin::ensureTopic);
        }
        long elapsedNanos = System.nanoTime() - start;
        LOG.info("wrong password: the topic admin failed after {} ms", TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
        assertTrue(elapsedNanos < FAIL_FAST.toNanos(), () -> "ensureTopic failed only after "
                + Duration.ofNanos(elapsedNanos) + ", expected within " + FAIL_FAST);
        SaslAuthenticationException reason = assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        assertEquals(refusedMessage(reason), refused.getMessage());
        assertFalse(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains("t-denied-admin"),
                "a topic was created with the wrong password");

        KafkaPipeline pipeline = createdWithTheRightPassword("denied-lag");
        long lagStart = System.nanoTime();
        try (KafkaConsumerLag lag = new KafkaConsumerLag(pipeline.settings.withClientProperties(
                scram(USER, WRONG_PASSWORD)), pipeline.store)) {
            HeartbeatException lagRefused = assertThrows(HeartbeatException.class, lag::lag);
            assertEquals(refusedMessage(lagRefused.getCause()), lagRefused.getMessage());
            assertInstanceOf(SaslAuthenticationException.class, lagRefused.getCause());
        }
        long lagNanos = System.nanoTime() - lagStart;
        assertTrue(lagNanos < FAIL_FAST.toNanos(), () -> "lag failed only after " + Duration.ofNanos(lagNanos));
    }

    @Test
    void wrongPasswordStopsTheIngestLoopWithinSeconds() {
        KafkaPipeline pipeline = createdWithTheRightPassword("denied-source");
        pipeline.publish(SimulatedReadings.generate(47, 10, 100)); // there is something to read

        long start = System.nanoTime();
        RunningLoop running = RunningLoop.start("scram-denied-loop", new KafkaReadingSource(
                pipeline.settings.withClientProperties(scram(USER, WRONG_PASSWORD)), RunningLoop.FAST_BACKOFF),
                pipeline.ingest, new CommittedLog());
        Throwable stopped = running.awaitFailure(FAIL_FAST); // fails the test if the loop still runs then
        long elapsedNanos = System.nanoTime() - start;
        LOG.info("wrong password: the ingest loop stopped after {} ms", TimeUnit.NANOSECONDS.toMillis(elapsedNanos));

        HeartbeatException refused = assertInstanceOf(HeartbeatException.class, stopped);
        SaslAuthenticationException reason = assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        assertEquals(refusedMessage(reason), refused.getMessage());
        assertFalse(running.isAlive());
        assertEquals(0, pipeline.messagesStored(), "messages stored with the wrong password");
    }
}
