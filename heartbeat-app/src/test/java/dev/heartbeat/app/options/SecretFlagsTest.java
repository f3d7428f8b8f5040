package dev.heartbeat.app.options;

import dev.heartbeat.app.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A secret typed as a flag draws one warning naming its _FILE form, and is itself never repeated. */
class SecretFlagsTest {

    static String[] run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void aPasswordOnTheCommandLineDrawsOneWarningNamingTheFileForm() {
        String[] run = run(Map.of(), "consume", "--db-password", "hunter2-secret", "--kafka-password", "kafka-secret");
        String err = run[2];
        assertEquals(1, err.lines().filter(l -> l.contains("warning: --db-password on the command line")).count(), err);
        assertTrue(err.contains("set HEARTBEAT_DB_PASSWORD_FILE instead"), err);
        assertTrue(err.contains("warning: --kafka-password") && err.contains("HEARTBEAT_KAFKA_PASSWORD_FILE"), err);
        assertFalse((run[1] + err).contains("hunter2-secret") || (run[1] + err).contains("kafka-secret"), err);
    }

    @Test
    void aSecretFromTheEnvironmentOrAFileDrawsNoWarning() {
        String[] run = run(Map.of("HEARTBEAT_DB_PASSWORD", "hunter2-secret", "HEARTBEAT_WEB_TOKEN", "abcdefghijklmnopqrstuvwxyz"), "migrate");
        assertFalse(run[2].contains("warning"), run[2]);
        assertFalse((run[1] + run[2]).contains("hunter2-secret"), run[2]);
    }

    @Test
    void secretOptionsAreKnownByName() {
        assertTrue(SecretFlags.isSecret("--db-password"));
        assertTrue(SecretFlags.isSecret("--kafka-truststore-password"));
        assertTrue(SecretFlags.isSecret("--web-token"));
        assertTrue(SecretFlags.isSecret("--alert-webhook-url"));
        assertFalse(SecretFlags.isSecret("--db-user"));
        assertFalse(SecretFlags.isSecret("--alert-webhook-timeout"));
    }

    @Test
    void aBadWebhookUrlIsRefusedWithoutRepeatingIt() {
        String[] run = run(Map.of("HEARTBEAT_ALERT_WEBHOOK_URL", "ftp://hooks.example/T0SECRET"), "consume",
                "--kafka-bootstrap", "127.0.0.1:1", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/heartbeat");
        assertEquals("2", run[0], run[2]);
        assertTrue(run[2].contains("--alert-webhook-url must be an http(s) URL"), run[2]);
        assertFalse(run[2].contains("T0SECRET"), run[2]);
    }
}
