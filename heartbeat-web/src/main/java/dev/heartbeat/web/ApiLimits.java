package dev.heartbeat.web;

import java.time.Duration;

/** The bounds every API parameter is checked against; {@code /api/meta} publishes them. */
final class ApiLimits {

    /** Items in one page of tiles or of a feed. */
    static final int MAX_PAGE = 500;
    /** How deep the tiles may be paged by offset. */
    static final int MAX_OFFSET = 1_000_000;
    /** The longest time range any endpoint answers for. */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** The shortest. */
    static final Duration MIN_RANGE = Duration.ofSeconds(10);
    /** Points in one customer history. */
    static final int MIN_HISTORY_POINTS = 10;
    static final int MAX_HISTORY_POINTS = 5_000;
    static final int DEFAULT_HISTORY_POINTS = 600;
    /** Customers in one sparkline request, and the sparklines' longest window. */
    static final int MAX_SPARKLINE_CUSTOMERS = 100;
    static final Duration MAX_SPARKLINE_RANGE = Duration.ofHours(1);
    /** Customers one live stream may follow. */
    static final int MAX_STREAM_CUSTOMERS = 200;
    /** Buckets in one throughput series. */
    static final int MAX_THROUGHPUT_BUCKETS = 2_000;

    private ApiLimits() {
    }
}
