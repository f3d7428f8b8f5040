package dev.heartbeat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.heartbeat.core.ingest.RejectedMessage;
import dev.heartbeat.core.query.Cursor;
import dev.heartbeat.core.query.StoredReject;
import dev.heartbeat.core.query.TimeRange;
import dev.heartbeat.core.reading.AnomalyLevel;
import dev.heartbeat.core.reading.Reading;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The API's wire format: one JSON shape per kind of value, separate from core's records so that
 * the API stays stable when core changes. Times are ISO-8601 UTC strings, except in chart series
 * where they are epoch milliseconds (what uPlot draws).
 */
final class ApiJson {

    private ApiJson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** One stored reading. */
    record ReadingView(String customer, Instant at, int heartRate, String level, String activity) {
        static ReadingView of(Reading reading) {
            return new ReadingView(reading.customerId().value(), reading.recordedAt(), reading.heartRate(),
                    reading.level().wireName(), reading.activity().wireName());
        }
    }

    /** A page of a newest-first feed; {@code next} is the cursor for the following page, or null. */
    record FeedPage<T>(Instant from, Instant to, List<T> items, String next) {
        static <T> FeedPage<T> of(TimeRange range, List<T> items, Optional<Cursor> next) {
            return new FeedPage<>(range.from(), range.to(), items, next.map(Cursor::encode).orElse(null));
        }
    }

    /** A reject with its payload as text when it is UTF-8, else as base64. */
    record RejectView(long id, Instant receivedAt, String reason, String detail, String topic, int partition,
                      long offset, String payload, String payloadEncoding, int payloadBytes, int payloadSize,
                      boolean payloadTruncated) {

        static RejectView of(StoredReject stored) {
            RejectedMessage m = stored.message();
            byte[] bytes = m.payload();
            String text;
            String encoding;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                encoding = "utf-8";
            } catch (CharacterCodingException notText) {
                text = Base64.getEncoder().encodeToString(bytes);
                encoding = "base64";
            }
            return new RejectView(stored.id(), m.receivedAt(), m.reason().code(), m.detail(), m.partition().topic(),
                    m.partition().partition(), m.offset(), text, encoding, bytes.length, m.payloadSize(),
                    m.payloadSize() > bytes.length);
        }
    }

    /** Every level's value, keyed by wire name, in band order (critical_low first). */
    static <V> Map<String, V> byLevel(Function<AnomalyLevel, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        for (AnomalyLevel level : AnomalyLevel.values()) {
            map.put(level.wireName(), value.apply(level));
        }
        return map;
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Rounds for display; keeps the JSON short without losing anything a chart can show. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
