package dev.heartbeat.web.bench;

import dev.heartbeat.core.ingest.IngestCounters;
import dev.heartbeat.core.simulation.Simulator;
import dev.heartbeat.web.DashboardServer;
import dev.heartbeat.web.DashboardSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The dashboard over simulated data in memory, for looking at the page (screenshots, a browser) and
 * as the base of the API benchmark. Not a test. Run with
 *
 * <pre>
 * ./mvnw -B -q -pl heartbeat-web test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.heartbeat.web.bench.DemoDashboard \
 *     -Dexec.args="--customers=200 --history=2h --port=8080"
 * </pre>
 *
 * Options: {@code --customers=N} (default 200), {@code --history=DURATION} of backfilled readings
 * (default 1h; 90s, 15m, 6h, 2d), {@code --interval=DURATION} between a customer's readings (default 1s),
 * {@code --anomalies=R} episodes per customer-hour (default 1.0), {@code --seed=N}, {@code --port=N}
 * (default 8080), {@code --bind=ADDRESS} (default 127.0.0.1), {@code --token=T} to require a bearer token.
 */
public final class DemoDashboard {

    private DemoDashboard() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int customers = Integer.parseInt(options.getOrDefault("customers", "200"));
        Duration history = duration(options.getOrDefault("history", "1h"));
        Duration interval = duration(options.getOrDefault("interval", "1s"));
        double anomalies = Double.parseDouble(options.getOrDefault("anomalies", "1.0"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        DashboardSettings settings = DashboardSettings.defaults()
                .withPort(Integer.parseInt(options.getOrDefault("port", "8080")))
                .withBindAddress(options.getOrDefault("bind", DashboardSettings.DEFAULT_BIND_ADDRESS));
        if (options.containsKey("token")) {
            settings = settings.withBearerToken(options.get("token"));
        }

        Demo demo = Demo.start(customers, history, interval, anomalies, seed, settings);
        System.out.printf("dashboard on http://%s:%d/  (%d customers, %d readings backfilled over %s)%n",
                settings.bindAddress(), demo.port(), customers, demo.backfilled(), history);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** A running demo: the simulated pipeline, a source of bad messages and the dashboard over them. */
    public record Demo(SimulatedPipeline pipeline, DashboardServer server, Thread badMessages, long backfilled)
            implements AutoCloseable {

        public static Demo start(int customers, Duration history, Duration interval, double anomalies, long seed,
                                 DashboardSettings settings) {
            ShiftableClock clock = new ShiftableClock(Clock.systemUTC());
            SimulatedPipeline pipeline = new SimulatedPipeline(clock, 3);
            Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(history);
            Simulator simulator = SimulatedPipeline.simulator(customers, start, interval, anomalies, seed);
            long backfilled = pipeline.backfill(simulator, clock.instant(), customers, 40, 25);
            pipeline.startIngest();
            pipeline.simulateLive(simulator);
            Thread bad = Thread.ofPlatform().name("demo-bad-messages").daemon(true).start(() -> sendBadMessages(pipeline));
            DashboardServer server = DashboardServer.builder()
                    .queries(pipeline.database.queries()).lag(pipeline.lag).feed(pipeline.hub).clock(clock)
                    .alerts(pipeline.database.alerts())
                    .metrics(() -> prometheus(pipeline.counters)).readiness(() -> true)
                    .settings(settings)
                    .build();
            server.start();
            return new Demo(pipeline, server, bad, backfilled);
        }

        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            badMessages.interrupt();
            server.close();
            pipeline.close();
        }
    }

    /** Every few seconds a message the pipeline must reject, some with markup the page must show as text. */
    private static void sendBadMessages(SimulatedPipeline pipeline) {
        int n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(7_000);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = pipeline.clock.instant();
            switch (n++ % 3) {
                case 0 -> pipeline.publishMalformed("cust-00003", "{\"customer_id\":\"cust-00003\",\"heart_rate\":");
                case 1 -> pipeline.publishBadCustomerId("<img src=x onerror=alert(1)>", now, 80);
                default -> pipeline.publishOutOfRange("cust-00004", now, 312);
            }
        }
    }

    /** A few counters in the Prometheus text format (the app renders the real ones with Micrometer). */
    static String prometheus(IngestCounters counters) {
        IngestCounters.Snapshot s = counters.snapshot();
        return "# TYPE heartbeat_messages_total counter\nheartbeat_messages_total " + s.messages() + "\n"
                + "# TYPE heartbeat_readings_stored_total counter\nheartbeat_readings_stored_total " + s.stored() + "\n"
                + "# TYPE heartbeat_rejects_total counter\nheartbeat_rejects_total " + s.rejected() + "\n"
                + "# TYPE heartbeat_duplicates_total counter\nheartbeat_duplicates_total " + s.duplicates() + "\n";
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name=value or --flag, got " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        return options;
    }

    static Duration duration(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("a duration looks like 90s, 15m, 2h or 1d, got " + text);
        };
    }
}
