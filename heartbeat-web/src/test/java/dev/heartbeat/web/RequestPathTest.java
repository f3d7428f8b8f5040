package dev.heartbeat.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestPathTest {

    @ParameterizedTest
    @CsvSource({"/,/", "/metrics,/metrics", "/metrics/,/metrics", "//metrics//,/metrics", "/METRICS,/metrics",
            "/%6Detrics,/metrics", "/metrics;x=1,/metrics", "/api;v=2/overview;a,/api/overview", "/./api/.,/api",
            "/api/customers/../../metrics,/metrics", "/api%2Foverview,/api/overview", "/api/alerts/eve%2Ftachycardia%2F1.0,/api/alerts/eve/tachycardia/1.0", "/api/x%2F..%2F..%2Fmetrics,/metrics", "/api/%2e%2e/metrics,/metrics", "/js/app.js,/js/app.js",
            "/api/customers/cust%2D1,/api/customers/cust-1"})
    void spellingsOfOnePathAreOnePath(String raw, String normalized) {
        assertEquals(Optional.of(normalized), RequestPath.normalize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "metrics", "/..", "/a/../..", "/%2F..", "/a%5Cb", "/a\\b", "/%", "/%4", "/%zz",
            "/%c0%af", "/%ff", "/%00", "/%0a", "/\u00e9"})
    void whatCannotBeReadIsRefused(String raw) {
        assertEquals(Optional.empty(), RequestPath.normalize(raw));
    }

    @org.junit.jupiter.api.Test
    void aPathLongerThanTheLimitIsRefused() {
        assertEquals(Optional.empty(), RequestPath.normalize("/" + "a".repeat(RequestPath.MAX_LENGTH)));
    }
}
