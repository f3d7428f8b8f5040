package dev.heartbeat.postgres.bench;

import dev.heartbeat.core.feed.PollingReadingFeed;
import dev.heartbeat.core.port.ReadingFeed;
import dev.heartbeat.core.reading.Activity;
import dev.heartbeat.core.reading.CustomerId;
import dev.heartbeat.core.reading.Reading;
import dev.heartbeat.core.stream.PartitionRange;
import dev.heartbeat.core.stream.StoreBatch;
import dev.heartbeat.core.stream.StreamPartition;
import dev.heartbeat.postgres.BenchmarkSupport;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.postgres.PostgresReadingQueries;
import dev.heartbeat.postgres.PostgresReadingStore;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: whether the live feed of a dashboard that does not ingest ({@code web}) keeps up with
 * {@code customers} customers sending one reading a second each. Run on demand:
 * <pre>
 * ./mvnw -B -q -pl heartbeat-adapter-postgres test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.heartbeat.postgres.bench.LiveFeedBenchmark [-Dexec.args="customers=5000 seconds=60 interval=500"]
 * </pre>
 * One embedded PostgreSQL. A writer stores each customer's reading once a second (five batches a second,
 * each a fifth of the customers, through {@link PostgresReadingStore}, as consumers do); a
 * {@link PollingReadingFeed} polls every {@code interval} ms, as the {@code web} process does, and a
 * subscriber notes when each customer's update arrives. After a 10 s warm-up it reports, per customer,
 * the updates received against the readings written, and the longest wait between two updates.
 */
public final class LiveFeedBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int customers = Integer.parseInt(options.getOrDefault("customers", "5000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        Duration interval = Duration.ofMillis(Long.parseLong(options.getOrDefault("interval", "500")));
        int warmup = 10;

        BenchmarkSupport support = BenchmarkSupport.start();
        try {
            support.createOurs("feed");
            System.out.println("PostgreSQL: " + support.describe());
            try (PostgresDatabase database = PostgresDatabase.connect(support.settings("feed").withPoolSize(4))) {
                PostgresReadingStore store = new PostgresReadingStore(database);
                CustomerId[] ids = new CustomerId[customers];
                for (int i = 0; i < customers; i++) {
                    ids[i] = CustomerId.of(String.format("cust-%05d", i));
                }
                long[][] arrivals = new long[customers][seconds + 2];
                int[] received = new int[customers];
                Map<CustomerId, Integer> index = new ConcurrentHashMap<>();
                for (int i = 0; i < customers; i++) {
                    index.put(ids[i], i);
                }
                long start = System.nanoTime();
                AtomicLong delivered = new AtomicLong();
                AtomicLong polls = new AtomicLong();
                try (PollingReadingFeed feed = new PollingReadingFeed(new PostgresReadingQueries(database), interval)) {
                    ReadingFeed.Subscription subscription = feed.subscribe(batch -> {
                        polls.incrementAndGet();
                        long now = System.nanoTime();
                        for (Reading reading : batch) {
                            int i = index.get(reading.customerId());
                            if (received[i] < arrivals[i].length) {
                                arrivals[i][received[i]++] = now;
                            }
                            delivered.incrementAndGet();
                        }
                    });
                    long offset = 0;
                    Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    StreamPartition partition = new StreamPartition("heartbeat-data", 0);
                    for (int second = 0; second < seconds; second++) {
                        for (int fifth = 0; fifth < 5; fifth++) {
                            long due = start + Duration.ofMillis(second * 1000L + fifth * 200L).toNanos();
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            List<Reading> batch = new ArrayList<>(customers / 5 + 1);
                            for (int i = fifth; i < customers; i += 5) {
                                batch.add(new Reading(ids[i], base.plusSeconds(second).plusMillis(fifth * 200L),
                                        60 + (i + second) % 40, Activity.NORMAL));
                            }
                            store.write(new StoreBatch(batch, List.of(), List.of(new PartitionRange(partition, offset,
                                    offset + batch.size()))));
                            offset += batch.size();
                        }
                    }
                    Thread.sleep(interval.toMillis() * 3);
                    subscription.close();
                }
                long from = start + Duration.ofSeconds(warmup).toNanos();
                long to = start + Duration.ofSeconds(seconds).toNanos();
                long[] longestWaitMs = new long[customers];
                int[] updates = new int[customers];
                for (int i = 0; i < customers; i++) {
                    long previous = -1;
                    for (int k = 0; k < received[i]; k++) {
                        long at = arrivals[i][k];
                        if (at < from || at > to) {
                            continue;
                        }
                        updates[i]++;
                        if (previous > 0) {
                            longestWaitMs[i] = Math.max(longestWaitMs[i], (at - previous) / 1_000_000);
                        }
                        previous = at;
                    }
                }
                long[] sortedWaits = longestWaitMs.clone();
                Arrays.sort(sortedWaits);
                int[] sortedUpdates = updates.clone();
                Arrays.sort(sortedUpdates);
                int measured = seconds - warmup;
                long within1500 = Arrays.stream(longestWaitMs).filter(w -> w <= 1_500).count();
                System.out.printf("customers %,d at 1 reading/s for %d s (measured: the last %d s), feed polling every %d ms%n",
                        customers, seconds, measured, interval.toMillis());
                System.out.printf("updates delivered: %,d in %,d deliveries; per customer over %d s: min %d, median %d, max %d%n",
                        delivered.get(), polls.get(), measured, sortedUpdates[0], sortedUpdates[customers / 2],
                        sortedUpdates[customers - 1]);
                System.out.printf("customers with no update in the measured window: %d%n",
                        Arrays.stream(updates).filter(u -> u == 0).count());
                System.out.printf("longest wait between two updates of a customer: median %d ms, p99 %d ms, max %d ms;"
                                + " customers whose every wait was <= 1.5 s: %,d of %,d%n",
                        sortedWaits[customers / 2], sortedWaits[(int) (customers * 0.99)], sortedWaits[customers - 1],
                        within1500, customers);
            }
        } finally {
            support.stop();
        }
    }
}
