package dev.heartbeat.postgres;

import dev.heartbeat.core.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresSettingsTest {

    private static final String URL = "jdbc:postgresql://db:5432/heartbeat";

    @Test
    void defaultsAreThoseDocumented() {
        PostgresSettings settings = PostgresSettings.of(URL, "heartbeat", "s3cret");
        assertEquals(Duration.ofDays(30), settings.retention());
        assertEquals(3, settings.partitionsAhead());
        assertEquals(8, settings.poolSize());
        assertEquals(Duration.ofSeconds(30), settings.statementTimeout());
        assertEquals(Duration.ofSeconds(30), settings.serverWait());
        assertEquals(Duration.ofSeconds(1), settings.summaryInterval());
        assertEquals(200_000, settings.summaryRows());
    }

    @Test
    void neverPrintsThePasswordNorTheUrlParameters() {
        PostgresSettings settings = PostgresSettings.of(URL + "?password=inurl&ssl=true", "heartbeat", "s3cret");
        String printed = settings.toString();
        assertFalse(printed.contains("s3cret"), printed);
        assertFalse(printed.contains("inurl"), printed);
        assertTrue(printed.contains("password=(hidden)") && printed.contains("jdbc:postgresql://db:5432/heartbeat?..."), printed);
        assertTrue(PostgresSettings.of(URL, "heartbeat", null).toString().contains("password=(none)"));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        PostgresSettings ok = PostgresSettings.of(URL, "heartbeat", "");
        assertThrows(InvalidValueException.class, () -> PostgresSettings.of("jdbc:mysql://db/heartbeat", "heartbeat", ""));
        assertThrows(InvalidValueException.class, () -> PostgresSettings.of(URL, " ", ""));
        assertThrows(InvalidValueException.class, () -> ok.withPoolSize(1));
        assertThrows(InvalidValueException.class, () -> ok.withStatementTimeout(Duration.ofMillis(10)));
        assertThrows(InvalidValueException.class, () -> ok.withServerWait(Duration.ofSeconds(-1)));
        assertThrows(InvalidValueException.class, () -> ok.withRetention(Duration.ofHours(23)));
        assertThrows(InvalidValueException.class, () -> ok.withPartitionsAhead(0));
        assertThrows(InvalidValueException.class, () -> ok.withSummaries(Duration.ofSeconds(1), 0));
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> PostgresSettings.of("jdbc:mysql://db/x?password=leak", "heartbeat", ""));
        assertFalse(e.getMessage().contains("leak"), e.getMessage());
    }
}
