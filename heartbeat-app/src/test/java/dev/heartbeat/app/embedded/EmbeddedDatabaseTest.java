package dev.heartbeat.app.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void aServerKeepsItsDataAcrossARestartAndIsDurable(@TempDir Path directory) throws Exception {
        int port = EmbeddedKafkaTest.freePort();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(directory, port, "heartbeat");
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before restart')");
            try (ResultSet settings = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
                assertTrue(settings.next());
                assertEquals("on", settings.getString(1));
                assertEquals("on", settings.getString(2));
            }
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(directory, port, "heartbeat");
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet kept = s.executeQuery("SELECT v FROM kept")) {
            assertTrue(kept.next());
            assertEquals("before restart", kept.getString(1));
        }
    }
}
