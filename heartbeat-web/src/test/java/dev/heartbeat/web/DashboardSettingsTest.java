package dev.heartbeat.web;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardSettingsTest {

    @Test
    void defaultsListenOnLoopbackPort8080WithoutAToken() {
        DashboardSettings d = DashboardSettings.defaults();
        assertEquals(8080, d.port());
        assertEquals("127.0.0.1", d.bindAddress());
        assertEquals(Optional.empty(), d.bearerToken());
        assertEquals(Duration.ofMillis(250), d.streamInterval());
    }

    @Test
    void refusesValuesOutsideTheirRanges() {
        DashboardSettings d = DashboardSettings.defaults();
        assertThrows(InvalidValueException.class, () -> d.withPort(-1));
        assertThrows(InvalidValueException.class, () -> d.withPort(65_536));
        assertThrows(InvalidValueException.class, () -> d.withBindAddress(" "));
        assertThrows(InvalidValueException.class, () -> d.withBearerToken("short"));
        assertThrows(InvalidValueException.class, () -> d.withBearerToken("has spaces in the middle of it"));
        assertThrows(InvalidValueException.class, () -> d.withBearerToken("x".repeat(201)));
        assertThrows(InvalidValueException.class, () -> d.withStreamInterval(Duration.ofMillis(10)));
        assertThrows(InvalidValueException.class, () -> d.withStreamInterval(Duration.ofSeconds(2)));
        assertThrows(InvalidValueException.class, () -> d.withKeepAliveInterval(Duration.ofMillis(500)));
        assertThrows(InvalidValueException.class, () -> d.withMaxStreamClients(0));
        assertEquals("abcdefghijklmnop-._~+/=", d.withBearerToken("abcdefghijklmnop-._~+/=").bearerToken().orElseThrow());
    }

    @Test
    void allowedHostsAreHostNamesKeptInLowerCase() {
        DashboardSettings d = DashboardSettings.defaults();
        assertEquals(java.util.Set.of(), d.allowedHosts());
        assertEquals(java.util.Set.of("heartbeat.example.org", "web"),
                d.withAllowedHosts(java.util.Set.of("Heartbeat.Example.ORG", " web ")).allowedHosts());
        for (String bad : new String[]{"https://heartbeat.example.org", "heartbeat.example.org:443", "a b", "", "evil/x",
                "-bad.example", "name."}) {
            assertThrows(InvalidValueException.class, () -> d.withAllowedHosts(java.util.Set.of(bad)), bad);
        }
    }

    @Test
    void aTakenPortIsAClearErrorAndTheServerIsClosed() throws InterruptedException {
        try (DashboardFixture fixture = DashboardFixture.empty(DashboardSettings.defaults())) {
            DashboardServer second = DashboardServer.builder()
                    .queries(fixture.pipeline.queries).lag(fixture.pipeline.lag).feed(fixture.pipeline.hub)
                    .clock(Clock.systemUTC()).metrics(() -> "").readiness(() -> true)
                    .settings(DashboardSettings.defaults().withPort(fixture.port()))
                    .build();
            HeartbeatException e = assertThrows(HeartbeatException.class, second::start);
            assertTrue(e.getMessage().contains(":" + fixture.port()), e.getMessage());
            assertThrows(IllegalStateException.class, second::start);
            second.close();
        }
    }

    @Test
    void theBuilderNamesWhatIsMissing() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> DashboardServer.builder().build());
        assertTrue(e.getMessage().contains("queries"));
    }
}
