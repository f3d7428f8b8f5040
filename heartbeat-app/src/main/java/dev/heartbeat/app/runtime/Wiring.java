package dev.heartbeat.app.runtime;

import dev.heartbeat.app.alerting.LogAlertSink;
import dev.heartbeat.app.alerting.AlertmanagerAlertSink;
import dev.heartbeat.app.observability.AlertDeliveryWatch;
import dev.heartbeat.app.alerting.WebhookAlertSink;
import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.observability.IngestLog;
import dev.heartbeat.app.observability.IngestMetrics;
import dev.heartbeat.app.observability.Metrics;
import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.port.AlertSink;
import dev.heartbeat.core.port.ConsumerLag;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.feed.PollingReadingFeed;
import dev.heartbeat.core.simulation.SimulationDriver;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.kafka.KafkaConsumerLag;
import dev.heartbeat.kafka.KafkaReadingPublisher;
import dev.heartbeat.kafka.KafkaReadingSource;
import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.Silence;
import dev.heartbeat.core.alert.StoredAlert;
import io.micrometer.core.instrument.FunctionCounter;
import dev.heartbeat.kafka.KafkaSettings;
import dev.heartbeat.kafka.KafkaTopicAdmin;
import dev.heartbeat.postgres.PostgresAccountStore;
import dev.heartbeat.postgres.PostgresAlertStore;
import dev.heartbeat.postgres.PostgresSilenceStore;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.postgres.PostgresAuditLog;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.postgres.PostgresReadingQueries;
import dev.heartbeat.postgres.PostgresReadingStore;
import dev.heartbeat.postgres.PostgresSummarizer;
import dev.heartbeat.postgres.PostgresRetention;
import dev.heartbeat.postgres.PostgresSettings;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.web.Argon2PasswordHasher;
import dev.heartbeat.web.DashboardServer;
import dev.heartbeat.web.DashboardSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds the object graph of one process from its {@link HeartbeatConfig},
 * by hand, and starts it. Commands and end-to-end tests both use {@link #start}.
 */
public final class Wiring {

    private static final Logger log = LoggerFactory.getLogger(Wiring.class);

    /** The dashboard's statements give up after this (or the configured timeout, when shorter). */
    static final Duration DASHBOARD_STATEMENT_TIMEOUT = Duration.ofSeconds(10);
    /** The dashboard's own connections in a process that also ingests. */
    static final int DASHBOARD_POOL_SIZE = 4;

    private Wiring() {
    }

    /** {@code settings} for the dashboard's connections: statements time out after at most {@link #DASHBOARD_STATEMENT_TIMEOUT}. */
    static PostgresSettings dashboardSettings(PostgresSettings settings) {
        return settings.statementTimeout().compareTo(DASHBOARD_STATEMENT_TIMEOUT) > 0
                ? settings.withStatementTimeout(DASHBOARD_STATEMENT_TIMEOUT) : settings;
    }

    /** What a started process runs; closing it stops everything in order (producer, consumer, dashboard, connections). */
    public record Running(Optional<SimulationDriver> producer, Optional<Ingestion> ingestion,
                          Optional<Integer> webPort, Optional<Integer> probePort, Metrics metrics,
                          Optional<ConsumerLag> lag, Closer closer) implements AutoCloseable {

        public long totalLag() {
            return metrics.totalLag();
        }

        @Override
        public void close() {
            closer.close();
        }
    }

    public static Running start(HeartbeatConfig config, Clock clock) {
        Closer closer = new Closer();
        try {
            return startInto(config, clock, closer);
        } catch (RuntimeException e) {
            closer.close();
            throw e;
        }
    }

    private static Running startInto(HeartbeatConfig config, Clock localClock, Closer closer) {
        Metrics metrics = closer.add(new Metrics());
        Optional<PostgresDatabase> database = config.database().map(settings -> closer.add(connect(
                config.consumes() ? settings : dashboardSettings(settings))));
        Readiness readiness = new Readiness();
        // with a database, decisions go by its clock, which every process shares (the producer keeps its own)
        Optional<ClockCheck> clockCheck = database.map(db -> watchClock(db, localClock, readiness, metrics, closer));
        Clock clock = clockCheck.<Clock>map(ClockCheck::clock).orElse(localClock);
        Optional<ConsumerLag> lag = Optional.empty();
        if (config.kafka().isPresent() && database.isPresent()) {
            KafkaConsumerLag kafkaLag = closer.add(new KafkaConsumerLag(config.kafka().get(),
                    new PostgresReadingStore(database.get())));
            metrics.watchLag(kafkaLag);
            lag = Optional.of(kafkaLag);
        }
        if (config.kafka().isPresent() && (config.consumes() || config.produce().isPresent())) {
            ensureTopic(config.kafka().get());
        }

        Optional<Ingestion> ingestion = Optional.empty();
        if (config.consumes()) {
            Ingestion consumer = ingestion(config, database.orElseThrow(), metrics, clock, readiness, closer);
            closer.add(consumer);
            consumer.start();
            AlertDeliveryWatch deliveries = new AlertDeliveryWatch(consumer.dispatcher(), metrics.registry());
            every("alert-delivery-watch", Duration.ofSeconds(30), Duration.ofSeconds(30), deliveries::checkAndLog, closer);
            ingestion = Optional.of(consumer);
            scheduleRetention(database.get(), clockCheck.orElseThrow(), closer);
        } else {
            readiness.started();
        }

        Optional<Integer> webPort = Optional.empty();
        if (config.web().isPresent()) {
            // a process that also ingests gives the dashboard a pool of its own: no query can take the writer's connections
            PostgresDatabase db = config.consumes()
                    ? closer.add(PostgresDatabase.connect(dashboardSettings(database.orElseThrow().settings())
                            .withPoolSize(DASHBOARD_POOL_SIZE)))
                    : database.orElseThrow();
            ReadingFeed feed = ingestion.<ReadingFeed>map(Ingestion::liveFeed)
                    .orElseGet(() -> closer.add(new PollingReadingFeed(new PostgresReadingQueries(db), Duration.ofMillis(500))));
            Accounts accounts = accounts(config, db, clock);
            webPort = Optional.of(dashboard(config.web().get(), db, new PostgresReadingQueries(db), new PostgresAlertStore(db),
                    accounts, lag.orElse(List::of), feed, clock, metrics, readiness, closer));
            scheduleAuditRetention(db, clock, closer);
        }
        Optional<Integer> probePort = Optional.empty();
        if (config.web().isEmpty() && config.probes().isPresent()) {
            HeartbeatConfig.ProbeAddress address = config.probes().get();
            probePort = Optional.of(closer.add(ProbeServer.start(address.bind(), address.port(), readiness, metrics::scrape)).port());
        }

        Optional<SimulationDriver> producer = config.produce().map(simulation -> {
            KafkaReadingPublisher publisher = new KafkaReadingPublisher(config.kafka().orElseThrow());
            SimulationDriver driver = new SimulationDriver(
                    new Simulator(simulation.settings(), new SplittableRandom(simulation.seed())), publisher, localClock,
                    simulation.flatOut() ? SimulationDriver.Pace.FLAT_OUT : SimulationDriver.Pace.LIVE, simulation.maxReadings());
            Thread thread = Thread.ofPlatform().name("simulator").start(driver);
            closer.add(publisher);
            closer.add(() -> {
                driver.stop();
                thread.join(Duration.ofSeconds(5));
            });
            return driver;
        });
        return new Running(producer, ingestion, webPort, probePort, metrics, lag, closer);
    }

    public static PostgresDatabase connect(PostgresSettings settings) {
        PostgresDatabase database;
        try {
            database = PostgresDatabase.connect(settings);
        } catch (StoreUnavailableException e) {
            throw new ConfigurationException(e.getMessage() + " (check --jdbc-url, --db-user and --db-password)", e);
        }
        try {
            database.ensureSchema();
        } catch (HeartbeatException e) {
            database.close();
            throw new ConfigurationException(e.getMessage(), e);
        }
        return database;
    }

    public static void ensureTopic(KafkaSettings kafka) {
        try (KafkaTopicAdmin admin = new KafkaTopicAdmin(kafka)) {
            if (admin.ensureTopic()) {
                log.info("Created topic {} ({} partitions, replication {}, min.insync.replicas {})", kafka.topic(),
                        kafka.partitions(), kafka.replicationFactor(), kafka.minInsyncReplicas());
            }
        } catch (HeartbeatException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static Ingestion ingestion(HeartbeatConfig config, PostgresDatabase database, Metrics metrics, Clock clock,
                                       Readiness readiness, Closer closer) {
        // the summaries are brought up to date on a thread (and connection) of their own, while the
        // ingest threads write their next batches: on two cores that overlap is most of the consumer's speed
        ExecutorService summaries = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("summaries").daemon(true).factory());
        closer.add(summaries::shutdownNow);
        PostgresReadingStore store = new PostgresReadingStore(database, new PostgresSummarizer(database), summaries);
        PostgresAlertStore alerts = new PostgresAlertStore(database);
        PostgresSilenceStore silences = new PostgresSilenceStore(database);
        List<AlertSink> sinks = new ArrayList<>(List.of(new LogAlertSink()));
        String dashboardUrl = config.alerting().dashboardUrl().map(URI::toString)
                .or(() -> config.web().map(w -> "http://" + w.bindAddress() + ":" + w.port()))
                .orElse("heartbeat");
        config.alerting().webhook().ifPresent(uri -> sinks.add(new WebhookAlertSink(uri, config.alerting().webhookTimeout(),
                dashboardUrl)));
        config.alerting().alertmanager().ifPresent(uri -> {
            AlertmanagerAlertSink alertmanager = new AlertmanagerAlertSink(uri, config.alerting().webhookTimeout(),
                    dashboardUrl, clock);
            sinks.add(alertmanager);
            // Alertmanager resolves a firing alert that is not sent again: every open alert is, every minute,
            // but one a silence mutes (its transitions wait in the outbox until the silence is over)
            every("alertmanager-resend", AlertmanagerAlertSink.RESEND, AlertmanagerAlertSink.RESEND, () -> {
                try {
                    alertmanager.resend(Silence.unmuted(silences.inEffect(clock.instant()),
                            alerts.active(100_000).stream().map(StoredAlert::alert).toList()));
                } catch (RuntimeException e) {
                    log.warn("Could not send the open alerts to Alertmanager again: {}", e.getMessage());
                }
            }, closer);
        });
        KafkaSettings kafka = config.kafka().orElseThrow();
        List<KafkaReadingSource> sources = new ArrayList<>();
        try {
            for (int i = 1; i <= config.ingestThreads(); i++) {
                sources.add(new KafkaReadingSource(config.ingestThreads() == 1 ? kafka : member(kafka, i), Backoff.DEFAULT,
                        config.replaceTopic()));
            }
        } catch (RuntimeException e) {
            sources.forEach(KafkaReadingSource::close);
            throw e;
        }
        List<KafkaReadingSource> counted = List.copyOf(sources);
        FunctionCounter.builder("heartbeat.ingest.gaps", counted, all -> all.stream().mapToLong(KafkaReadingSource::gapsRecorded).sum())
                .description("Gaps recorded: offsets never read (removed from the log before they were stored, or a replaced topic)")
                .register(metrics.registry());
        FunctionCounter.builder("heartbeat.ingest.skipped.messages", counted,
                        all -> all.stream().mapToLong(KafkaReadingSource::messagesSkipped).sum())
                .description("Messages those gaps skipped").register(metrics.registry());
        return new Ingestion(sources, store, alerts, alerts, silences, sinks,
                config.alerting().rules(), config.alerting().reminders(), config.validation(), clock,
                List.of(new IngestMetrics(metrics.registry(), clock), new IngestLog()), readiness);
    }

    /**
     * The settings of ingest thread {@code i} of several in one process: a client id of its own (metrics,
     * broker logs) and, under static membership, a group instance id of its own (members sharing one
     * would fence each other off).
     */
    private static KafkaSettings member(KafkaSettings kafka, int i) {
        Map<String, String> properties = new HashMap<>(kafka.clientProperties());
        properties.computeIfPresent("group.instance.id", (name, id) -> id + "-" + i);
        return kafka.withGroup(kafka.groupId(), kafka.clientId() + "-" + i).withClientProperties(properties);
    }

    /**
     * The dashboard's people: the first admin made if configured and none exist; a dashboard that would
     * listen beyond loopback with nobody to sign in is refused, since it would show everything to anyone.
     */
    private static Accounts accounts(HeartbeatConfig config, PostgresDatabase db, Clock clock) {
        Accounts accounts = new Accounts(new PostgresAccountStore(db), new Argon2PasswordHasher(), clock);
        config.firstAdmin().ifPresent(first -> {
            if (first.createIn(accounts)) {
                log.info("first admin {} created{}", first.username(),
                        first.passwordFile().map(file -> "; its password is in " + file).orElse(""));
            }
        });
        String bind = config.web().orElseThrow().bindAddress();
        if (!accounts.hasAccounts() && !isLoopback(bind)) {
            throw new ConfigurationException("the dashboard would listen on " + bind + ", beyond this machine, with no account "
                    + "to sign in to: add an admin first (heartbeat users add <name> --role admin, or "
                    + "HEARTBEAT_BOOTSTRAP_ADMIN_PASSWORD_FILE), or bind to 127.0.0.1");
        }
        return accounts;
    }

    /** Whether an address to bind to is reachable from this machine only. */
    static boolean isLoopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int dashboard(DashboardSettings settings, PostgresDatabase db, PostgresReadingQueries queries,
                                 PostgresAlertStore alerts, Accounts accounts, ConsumerLag lag, ReadingFeed feed, Clock clock, Metrics metrics,
                                 Readiness readiness, Closer closer) {
        DashboardServer server = DashboardServer.builder()
                .queries(queries).alerts(alerts).silences(new PostgresSilenceStore(db)).accounts(accounts).audit(new PostgresAuditLog(db)).lag(lag).feed(feed).clock(clock).metrics(metrics::scrape)
                .readiness(readiness).settings(settings).build();
        closer.add(server);
        try {
            return server.start();
        } catch (HeartbeatException e) {
            throw new ConfigurationException(e.getMessage() + " (choose another with --web-port)", e);
        }
    }

    /** Runs {@code task} after {@code initial} and then every {@code period}, on a daemon thread named {@code name}. */
    private static void every(String name, Duration initial, Duration period, Runnable task, Closer closer) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name).daemon(true).factory());
        scheduler.scheduleWithFixedDelay(task, initial.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        closer.add(scheduler::shutdownNow);
    }

    /**
     * Removes the audit records older than the audit retention now and every day, in the process that
     * writes the trail (its role may call the owner's trim function); the removal is itself audited.
     */
    private static void scheduleAuditRetention(PostgresDatabase database, Clock clock, Closer closer) {
        PostgresAuditLog trail = new PostgresAuditLog(database);
        Duration keep = database.settings().auditRetention();
        every("audit-retention", Duration.ZERO, Duration.ofDays(1), () -> {
            try {
                long removed = trail.trim(keep);
                if (removed > 0) {
                    trail.append(new AuditEvent(clock.instant(), "heartbeat", "system", "audit.retention", Optional.empty(),
                            Optional.empty(), "retention", "ok:removed " + removed + " records older than " + keep.toDays() + "d"));
                    log.info("Audit retention: removed {} records older than {} days", removed, keep.toDays());
                }
            } catch (RuntimeException e) {
                log.warn("Audit retention did not run: {}", e.getMessage());
            }
        }, closer);
    }

    /** Measures this process's clock against the database's now and every minute, exporting the skew. */
    private static ClockCheck watchClock(PostgresDatabase database, Clock local, Readiness readiness, Metrics metrics,
                                         Closer closer) {
        ClockCheck check = ClockCheck.measured(database, local, Optional.of(readiness));
        check.register(metrics.registry());
        every("clock-check", Duration.ofMinutes(1), Duration.ofMinutes(1), check::measure, closer);
        return check;
    }

    /**
     * Drops expired partitions and creates the coming ones now and every hour, by the database's clock,
     * and not at all while this process's clock is beyond the bound from it.
     */
    private static void scheduleRetention(PostgresDatabase database, ClockCheck clockCheck, Closer closer) {
        PostgresRetention retention = new PostgresRetention(database, clockCheck.clock());
        every("retention", Duration.ZERO, Duration.ofHours(1), () -> {
            try {
                Optional<String> refused = clockCheck.refusal();
                if (refused.isPresent()) {
                    log.warn("Retention did not run, nothing dropped: {}", refused.get());
                    return;
                }
                retention.run();
            } catch (RuntimeException e) {
                log.warn("Retention did not run: {}", e.getMessage());
            }
        }, closer);
    }
}
