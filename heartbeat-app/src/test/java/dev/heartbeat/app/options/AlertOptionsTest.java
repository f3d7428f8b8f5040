package dev.heartbeat.app.options;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertOptionsTest {

    static AlertOptions parse(String... args) {
        return CommandLine.populateCommand(new AlertOptions(), args);
    }

    @Test
    void theDashboardUrlForAlertLinksIsAnHttpUrlWithoutTrailingSlash() {
        assertEquals(Optional.of(URI.create("https://heartbeat.example.org/ward-3")),
                parse("--alert-dashboard-url", "https://heartbeat.example.org/ward-3/").dashboardUrl());
        assertEquals(Optional.empty(), parse().dashboardUrl(), "none given: the process's own dashboard, if any");
    }

    @Test
    void aDashboardUrlThatIsNoHttpUrlIsAConfigurationError() {
        ConfigurationException bad = assertThrows(ConfigurationException.class,
                () -> parse("--alert-dashboard-url", "ftp://heartbeat").dashboardUrl());
        assertTrue(bad.getMessage().startsWith("--alert-dashboard-url must be an http(s) URL"), bad.getMessage());
        assertThrows(ConfigurationException.class, () -> parse("--alert-webhook-url", "not a url").webhook());
    }
}
