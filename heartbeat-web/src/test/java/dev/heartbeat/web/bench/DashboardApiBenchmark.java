package dev.heartbeat.web.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.core.feed.LiveReadingHub;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.core.stream.WriteOutcome;
import dev.heartbeat.core.port.ReadingStore;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.web.ClientLimits;
import dev.heartbeat.web.DashboardServer;
import dev.heartbeat.web.DashboardSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Not a test: measures p50/p95/p99 of every API call the page makes, one client at a time over
 * real HTTP, and whether the live stream keeps up with a given rate of stored readings. Run with
 *
 * <pre>
 * ./mvnw -B -q -pl heartbeat-web test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.heartbeat.web.bench.DashboardApiBenchmark \
 *     -Dexec.args="--customers=1000 --history=1h --iterations=200"
 * </pre>
 *
 * Options: {@code --backend=<class>} a {@link BenchmarkBackend} with a public no-argument
 * constructor (default: the in-memory store, filled with {@code --customers} (1000) over
 * {@code --history} (1h) at {@code --interval} (1s)); {@code --iterations} per call (200) after
 * {@code --warmup} (30); {@code --stream-rate} readings/s (5000) for {@code --stream-seconds} (20)
 * to {@code --stream-clients} (4) clients following {@code --stream-follow} (200) customers each,
 * out of {@code --stream-customers} (10000), each batch written to the backend's store first if it has one
 * ({@link BenchmarkBackend#store()}); {@code --skip-api} or {@code --skip-stream}.
 * The target of issue 6 is p95 &le; 100 ms for every call and every streamed reading within 1 s.
 */
public final class DashboardApiBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = DemoDashboard.options(args);
        int iterations = Integer.parseInt(o.getOrDefault("iterations", "200"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        System.out.printf("machine: %d cores, %s %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        try (BenchmarkBackend backend = backend(o)) {
            System.out.println("backend: " + backend.describe());
            LiveReadingHub hub = new LiveReadingHub(1024);
            DashboardServer.Builder builder = DashboardServer.builder();
            backend.alerts().ifPresent(builder::alerts);
            backend.audit().ifPresent(builder::audit);
            try (DashboardServer server = builder
                    .queries(backend.queries()).lag(backend.lag()).feed(hub).clock(backend.clock())
                    .metrics(() -> "").readiness(() -> true)
                    .settings(DashboardSettings.defaults().withPort(0))
                    // one client asks as fast as it can here, and 50 stream clients: no share limits
                    .clientLimits(new ClientLimits.Policy(1_000_000, 1_000_000, 1_000))
                    .build()) {
                int port = server.start();
                if (!o.containsKey("skip-api")) {
                    apiCalls(port, iterations, warmup);
                }
                if (!o.containsKey("skip-stream")) {
                    stream(port, hub, backend.store(), Integer.parseInt(o.getOrDefault("stream-rate", "5000")),
                            Integer.parseInt(o.getOrDefault("stream-seconds", "20")),
                            Integer.parseInt(o.getOrDefault("stream-clients", "4")),
                            Integer.parseInt(o.getOrDefault("stream-follow", "200")),
                            Integer.parseInt(o.getOrDefault("stream-customers", "10000")));
                }
            }
        }
    }

    private static BenchmarkBackend backend(Map<String, String> o) throws ReflectiveOperationException {
        String name = o.get("backend");
        if (name != null) {
            return (BenchmarkBackend) Class.forName(name).getConstructor().newInstance();
        }
        return new InMemoryBackend(Integer.parseInt(o.getOrDefault("customers", "1000")),
                DemoDashboard.duration(o.getOrDefault("history", "1h")),
                DemoDashboard.duration(o.getOrDefault("interval", "1s")), 42);
    }

    // ---- API calls ----------------------------------------------------------------------------

    private record Call(String name, IntFunction<String> path) {
    }

    private static void apiCalls(int port, int iterations, int warmup) throws Exception {
        String base = "http://127.0.0.1:" + port;
        JsonNode all = get(base + "/api/customers?sort=customer&limit=500").json;
        long matching = all.get("matching").asLong();
        List<String> ids = new ArrayList<>();
        all.get("items").forEach(i -> ids.add(i.get("customer").asText()));
        if (ids.isEmpty()) {
            throw new IllegalStateException("the backend holds no customers");
        }
        List<String> page = ids.subList(0, Math.min(48, ids.size()));
        String sparkIds = String.join(",", page);
        SplittableRandom random = new SplittableRandom(7);
        IntFunction<String> someone = i -> ids.get(i % ids.size());
        List<Call> calls = new ArrayList<>(List.of(
                new Call("meta", i -> "/api/meta"),
                new Call("overview 15m", i -> "/api/overview?range=15m"),
                new Call("overview 24h", i -> "/api/overview?range=24h"),
                new Call("tiles severity, page 1", i -> "/api/customers?sort=severity&limit=48"),
                new Call("tiles by id, random page", i -> "/api/customers?sort=customer&limit=48&offset="
                        + 48 * random.nextInt((int) Math.max(1, matching / 48))),
                new Call("tiles search", i -> "/api/customers?limit=48&q=" + someone.apply(i).substring(Math.max(0, someone.apply(i).length() - 3))),
                new Call("tiles critical filter", i -> "/api/customers?level=critical_low,critical_high&sort=severity&limit=48"),
                new Call("sparklines 48 x 5m", i -> "/api/sparklines?range=5m&points=60&customers=" + enc(sparkIds)),
                new Call("customer latest", i -> "/api/customers/" + someone.apply(i)),
                new Call("history live 5m", i -> "/api/customers/" + someone.apply(i) + "/history?range=5m&points=600"),
                new Call("history 1h", i -> "/api/customers/" + someone.apply(i) + "/history?range=1h&points=600"),
                new Call("history 6h", i -> "/api/customers/" + someone.apply(i) + "/history?range=6h&points=600"),
                new Call("history 24h", i -> "/api/customers/" + someone.apply(i) + "/history?range=24h&points=600"),
                new Call("history 7d", i -> "/api/customers/" + someone.apply(i) + "/history?range=7d&points=600"),
                new Call("stats 5m", i -> "/api/customers/" + someone.apply(i) + "/stats?range=5m"),
                new Call("stats 1h", i -> "/api/customers/" + someone.apply(i) + "/stats?range=1h"),
                new Call("stats 24h", i -> "/api/customers/" + someone.apply(i) + "/stats?range=24h"),
                new Call("stats 7d", i -> "/api/customers/" + someone.apply(i) + "/stats?range=7d"),
                new Call("customer readings 20", i -> "/api/customers/" + someone.apply(i) + "/readings?range=24h&limit=20"),
                new Call("anomalies non-normal 24h", i -> "/api/anomalies?level=non_normal&range=24h&limit=50"),
                new Call("anomalies critical 24h", i -> "/api/anomalies?level=critical&range=24h&limit=50"),
                new Call("anomalies of a customer", i -> "/api/anomalies?customer=" + someone.apply(i) + "&range=24h&limit=50"),
                new Call("rejects 24h", i -> "/api/rejects?range=24h&limit=50"),
                new Call("pipeline 1h", i -> "/api/pipeline?range=1h"),
                new Call("pipeline 24h", i -> "/api/pipeline?range=24h"),
                new Call("pipeline lag", i -> "/api/pipeline/lag")));
        if (get(base + "/api/meta").json.get("alerts").asBoolean()) {
            // what the page polls on the overview, and a customer's alert history in the live view
            calls.add(new Call("alerts active 20", i -> "/api/alerts/active?limit=20"));
            calls.add(new Call("alerts of a customer 7d", i -> "/api/alerts?customer=" + someone.apply(i) + "&range=7d&limit=20"));
            calls.add(new Call("alerts history 24h", i -> "/api/alerts?range=24h&limit=50"));
        }

        System.out.printf("%nAPI calls, one client, sequential: %d timed after %d warm-up each%n", iterations, warmup);
        System.out.printf("%-28s %9s %9s %9s %9s %10s  %s%n", "call", "p50 ms", "p95 ms", "p99 ms", "max ms", "bytes", "p95<=100ms");
        int over = 0;
        for (Call call : calls) {
            for (int i = 0; i < warmup; i++) {
                get(base + call.path().apply(i));
            }
            long[] nanos = new long[iterations];
            long bytes = 0;
            for (int i = 0; i < iterations; i++) {
                String url = base + call.path().apply(i + warmup);
                long start = System.nanoTime();
                Result result = get(url);
                nanos[i] = System.nanoTime() - start;
                bytes += result.bytes;
            }
            Arrays.sort(nanos);
            double p95 = ms(percentile(nanos, 95));
            over += p95 > 100 ? 1 : 0;
            System.out.printf("%-28s %9.2f %9.2f %9.2f %9.2f %10d  %s%n", call.name(), ms(percentile(nanos, 50)), p95,
                    ms(percentile(nanos, 99)), ms(nanos[nanos.length - 1]), bytes / iterations, p95 <= 100 ? "yes" : "NO");
        }
        System.out.printf("%d of %d calls over 100 ms at p95%n", over, calls.size());
    }

    private record Result(JsonNode json, long bytes) {
    }

    private static Result get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        boolean parse = url.contains("/api/customers?sort=customer&limit=500") || url.endsWith("/api/meta");
        return new Result(parse ? JSON.readTree(response.body()) : null,
                response.body().length);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    // ---- live stream --------------------------------------------------------------------------

    private static void stream(int port, LiveReadingHub hub, Optional<ReadingStore> store, int rate, int seconds, int clients, int follow, int customers)
            throws Exception {
        System.out.printf("%nlive stream: %,d readings/s over %,d customers for %d s, %d clients following %d customers each%s%n",
                rate, customers, seconds, clients, follow, store.isPresent() ? ", each batch stored first (then streamed)" : "");
        List<StreamReader> readers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < follow; i++) {
                ids.add(id((c * follow + i) % customers));
            }
            readers.add(StreamReader.open(port, ids));
        }
        Thread.sleep(500);
        // readings arrive for customers in a shuffled order, so every client's customers change in every push
        int[] order = new int[customers];
        for (int i = 0; i < customers; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(11);
        for (int i = customers - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        AtomicLong published = new AtomicLong();
        long tickNanos = 50_000_000L;
        int perTick = rate / 20;
        StreamPartition partition = new StreamPartition("bench", 0);
        long start = System.nanoTime();
        long offset = 0;
        int next = 0;
        List<Long> writes = new ArrayList<>();
        for (long tick = 0; System.nanoTime() - start < seconds * 1_000_000_000L; tick++) {
            long due = start + tick * tickNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<Reading> batch = new ArrayList<>(perTick);
            for (int i = 0; i < perTick; i++) {
                batch.add(new Reading(CustomerId.of(id(order[next])), now, 50 + next % 150, Activity.NORMAL));
                next = (next + 1) % customers;
            }
            StoreBatch storeBatch = new StoreBatch(batch, List.of(), List.of(new PartitionRange(partition, offset, offset + perTick)));
            WriteOutcome.Committed outcome = new WriteOutcome.Committed(perTick, 0, 0);
            if (store.isPresent()) {
                long written = System.nanoTime();
                WriteOutcome stored = store.get().write(storeBatch);
                writes.add(System.nanoTime() - written);
                if (!(stored instanceof WriteOutcome.Committed committed) || committed.stored() != perTick) {
                    throw new IllegalStateException("the store did not store a live batch whole: " + stored);
                }
                outcome = committed;
            }
            hub.committed(storeBatch, outcome);
            offset += perTick;
            published.addAndGet(perTick);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1500);
        long[] all = readers.stream().flatMapToLong(r -> r.latencies().stream().mapToLong(Long::longValue)).sorted().toArray();
        // each followed customer has a reading every customers/rate seconds
        double expectedPerClient = follow * elapsed * rate / customers;
        System.out.printf("published %,d readings in %.1f s = %,.0f readings/s; hub batches dropped for slow subscribers: %d%n",
                published.get(), elapsed, published.get() / elapsed, hub.dropped());
        if (!writes.isEmpty()) {
            long[] sortedWrites = writes.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("store writes: %,d batches of %,d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (a tick is %d ms)%n",
                    sortedWrites.length, perTick, ms(percentile(sortedWrites, 50)), ms(percentile(sortedWrites, 95)),
                    ms(percentile(sortedWrites, 99)), ms(sortedWrites[sortedWrites.length - 1]), tickNanos / 1_000_000);
        }
        for (int c = 0; c < readers.size(); c++) {
            StreamReader r = readers.get(c);
            System.out.printf("client %d: %,d rows in %,d pushes (%.1f pushes/s), %,.0f updates of followed customers expected"
                            + " (at most one per customer per push), rate events: median %,.0f/s%n",
                    c, r.latencies().size(), r.pushes.get(), r.pushes.get() / elapsed, expectedPerClient, r.medianRate(elapsed));
        }
        if (all.length > 0) {
            System.out.printf("stored -> on the client: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (%,d rows); within 1 s: %.2f %%%n",
                    percentile(all, 50), percentile(all, 95), percentile(all, 99), all[all.length - 1], all.length,
                    100.0 * Arrays.stream(all).filter(v -> v <= 1000).count() / all.length);
        }
        for (StreamReader r : readers) {
            r.close();
        }
    }

    private static String id(int index) {
        return String.format("cust-%05d", index + 1);
    }

    /** One SSE client: records, per received row, the time from the reading's timestamp to its arrival. */
    private static final class StreamReader implements AutoCloseable {
        private final InputStream body;
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong pushes = new AtomicLong();
        private final List<Double> rates = Collections.synchronizedList(new ArrayList<>());

        private StreamReader(InputStream body) {
            this.body = body;
            Thread.ofVirtual().start(this::read);
        }

        static StreamReader open(int port, List<String> ids) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/stream?customers=" + enc(String.join(",", ids)))).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            return new StreamReader(response.body());
        }

        List<Long> latencies() {
            return latencies;
        }

        /** The median of the per-second rates the server reported while readings flowed. */
        double medianRate(double seconds) {
            double[] sorted;
            synchronized (rates) {
                sorted = rates.stream().limit((long) seconds).mapToDouble(Double::doubleValue).sorted().toArray();
            }
            return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        long arrived = System.currentTimeMillis();
                        JsonNode data = JSON.readTree(line.substring(5).trim());
                        if ("readings".equals(event)) {
                            pushes.incrementAndGet();
                            for (JsonNode row : data.get("r")) {
                                latencies.add(arrived - row.get(1).asLong());
                            }
                        } else if ("rate".equals(event)) {
                            rates.add(data.get("perSecond").asDouble());
                        }
                    }
                }
            } catch (IOException closed) {
                // the benchmark is over
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
