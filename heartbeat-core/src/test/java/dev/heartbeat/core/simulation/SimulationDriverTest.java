package dev.heartbeat.core.simulation;

import dev.heartbeat.core.PublishException;
import dev.heartbeat.core.memory.InMemoryBus;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.port.ReadingPublisher;
import dev.heartbeat.core.reading.Reading;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationDriverTest {

    @Test
    void flatOutPublishesExactlyTheRequestedNumberOfReadings() {
        InMemoryBus bus = new InMemoryBus("t", 3);
        Simulator simulator = new Simulator(SimulationSettings.of(7, Instant.parse("2026-11-29T00:00:00Z")), new SplittableRandom(1));
        SimulationDriver driver = new SimulationDriver(simulator, new InMemoryReadingPublisher(bus), Clock.systemUTC(),
                SimulationDriver.Pace.FLAT_OUT, 100);
        driver.run();
        assertEquals(100, driver.published());
        assertEquals(100, driver.acknowledged());
        assertEquals(100, bus.size());
    }

    @Test
    void livePaceFollowsTheClock() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        InMemoryBus bus = new InMemoryBus("t", 1);
        SimulationSettings settings = SimulationSettings.of(2, start).withInterval(Duration.ofMillis(100));
        SimulationDriver driver = new SimulationDriver(new Simulator(settings, new SplittableRandom(2)),
                new InMemoryReadingPublisher(bus), Clock.systemUTC(), SimulationDriver.Pace.LIVE, 10);
        long began = System.nanoTime();
        driver.run();
        long tookMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        assertEquals(10, bus.size());
        assertTrue(tookMillis >= 380, "5 ticks 100 ms apart take about 400 ms, took " + tookMillis);
    }

    @Test
    void liveNoReadingLeavesBeforeItsTime() {
        Instant start = Instant.now().plusMillis(50).truncatedTo(ChronoUnit.MILLIS);
        List<Instant> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReadingPublisher checking = new ReadingPublisher() {
            @Override
            public CompletableFuture<Void> publish(Reading reading) {
                published.add(reading.recordedAt());
                assertTrue(!reading.recordedAt().isAfter(Instant.now()), "published ahead of its time: " + reading);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        SimulationSettings settings = SimulationSettings.of(20, start).withInterval(Duration.ofMillis(200));
        new SimulationDriver(new Simulator(settings, new SplittableRandom(3)), checking, Clock.systemUTC(),
                SimulationDriver.Pace.LIVE, 60).run();
        assertEquals(60, published.size());
    }

    @Test
    void failuresAreCountedAndKept() {
        ReadingPublisher refusing = new ReadingPublisher() {
            @Override
            public CompletableFuture<Void> publish(Reading reading) {
                return CompletableFuture.failedFuture(new PublishException("broker down", null));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Simulator simulator = new Simulator(SimulationSettings.of(3, Instant.parse("2026-11-29T00:00:00Z")), new SplittableRandom(3));
        SimulationDriver driver = new SimulationDriver(simulator, refusing, Clock.systemUTC(), SimulationDriver.Pace.FLAT_OUT, 9);
        driver.run();
        assertEquals(9, driver.failed());
        assertEquals(0, driver.acknowledged());
        assertInstanceOf(PublishException.class, driver.lastFailure());
    }
}
