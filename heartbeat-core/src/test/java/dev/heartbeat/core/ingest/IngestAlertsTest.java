package dev.heartbeat.core.ingest;

import dev.heartbeat.core.Backoff;
import dev.heartbeat.core.alert.AlertEngine;
import dev.heartbeat.core.alert.AlertState;
import dev.heartbeat.core.alert.AlertTransition;
import dev.heartbeat.core.alert.PendingDelivery;
import dev.heartbeat.core.alert.StoredAlert;
import dev.heartbeat.core.memory.InMemoryReadingPublisher;
import dev.heartbeat.core.memory.InMemoryReadingSource;
import dev.heartbeat.core.port.IngestObserver;
import dev.heartbeat.core.port.StoreFixtures;
import dev.heartbeat.core.query.PageRequest;
import dev.heartbeat.core.query.TimeRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts through the whole in-memory pipeline, with a consumer that dies in the middle of an episode. */
class IngestAlertsTest {

    @Test
    void aConsumerKilledMidEpisodeLosesAndDuplicatesNoAlert() {
        killedMidEpisode(false);
    }

    @Test
    void aConsumerWritingOnAWriterThreadKilledMidEpisodeLosesAndDuplicatesNoAlert() {
        killedMidEpisode(true);
    }

    private static void killedMidEpisode(boolean writerThread) {
        PipelineFixture pipeline = new PipelineFixture();
        InMemoryReadingPublisher publisher = new InMemoryReadingPublisher(pipeline.bus);
        // one customer: 20 s normal, 60 s severe tachycardia, 60 s normal; another stays normal
        for (int second = 0; second < 140; second++) {
            int bpm = second >= 20 && second < 80 ? 225 : 75;
            publisher.publish(StoreFixtures.reading("amy", PipelineFixture.START.plusSeconds(second), bpm));
            publisher.publish(StoreFixtures.reading("bob", PipelineFixture.START.plusSeconds(second), 70));
        }

        // the first consumer sees the alert fire, then dies in the middle of the episode
        consume(pipeline, 10, 6, writerThread);
        List<StoredAlert> active = pipeline.alerts.active(10);
        assertEquals(1, active.size());
        assertEquals(AlertState.FIRING, active.getFirst().alert().state());

        // the next consumer restores the open alert from the store and carries on
        consume(pipeline, 25, Integer.MAX_VALUE, writerThread);

        TimeRange all = new TimeRange(PipelineFixture.START, PipelineFixture.START.plus(Duration.ofHours(1)));
        List<StoredAlert> history = pipeline.alerts.history(Optional.empty(), all, PageRequest.first(10)).items();
        assertEquals(1, history.size(), "one alert for the one episode");
        assertEquals(AlertState.RESOLVED, history.getFirst().alert().state());
        assertEquals(PipelineFixture.START.plusSeconds(20), history.getFirst().alert().firstTriggering().recordedAt());
        List<AlertTransition.Kind> delivered = pipeline.outbox.due(PipelineFixture.START.plus(Duration.ofDays(1)), 10).stream()
                .map(PendingDelivery::transition).map(AlertTransition::kind).toList();
        assertEquals(List.of(AlertTransition.Kind.FIRED), delivered, "one due at a time per alert, the first first");
        assertEquals(280, pipeline.queries.counters().stored());
    }

    /** A consumer's life of {@code polls} polls; with a writer thread, its last write lands after it died. */
    private static void consume(PipelineFixture pipeline, int maxBatch, int polls, boolean writerThread) {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        InMemoryReadingSource source = pipeline.source(maxBatch);
        Ingest ingest = pipeline.ingest.withAlerts(AlertEngine.withDefaults(), pipeline.alerts);
        IngestLoop loop = new IngestLoop(source, ingest, IngestObserver.NONE, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)),
                Duration.ofMillis(1), writerThread ? writer : Runnable::run);
        source.start(pipeline.store);
        for (int i = 0; i < polls && loop.runOnce() > 0; i++) {
            // consume
        }
        writer.shutdown();
        try {
            assertTrue(writer.awaitTermination(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
