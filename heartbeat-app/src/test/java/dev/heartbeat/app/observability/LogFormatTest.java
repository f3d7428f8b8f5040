package dev.heartbeat.app.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both log configurations the jar ships load without a single logback error (a bad one silently loses every log line). */
class LogFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"logback.xml", "logback-json.xml"})
    void theConfigurationLoadsCleanly(String resource) throws Exception {
        URL url = getClass().getClassLoader().getResource(resource);
        assertNotNull(url, resource);
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(url);
        List<Status> errors = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(status -> status.getLevel() >= Status.WARN).toList();
        assertTrue(errors.isEmpty(), resource + ": " + errors);
        context.stop();
    }
}
