package dev.heartbeat.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-command demo: it comes up on embedded servers, stores data, stops cleanly on SIGTERM within
 * 10 s, and a second start resumes on the data of the first.
 */
class DemoRestartIT {

    long count(int dbPort, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/heartbeat", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A free port that is neither the demo's Kafka port nor its controller's (the next one). */
    private static int freePortOtherThan(int kafkaPort) throws IOException {
        while (true) {
            int port = TestServers.freePort();
            if (port != kafkaPort && port != kafkaPort + 1) {
                return port;
            }
        }
    }

    @Test
    void theDemoResumesOnItsStoredDataAfterARestart(@TempDir Path dir) throws Exception {
        int kafkaPort = TestServers.freePortPair();
        int dbPort = freePortOtherThan(kafkaPort);
        int webPort = freePortOtherThan(kafkaPort);
        String[] args = {"demo", "--data-dir", dir.resolve("data").toString(), "--embedded-kafka-port", Integer.toString(kafkaPort),
                "--embedded-db-port", Integer.toString(dbPort), "--web-port", Integer.toString(webPort), "--customers", "30"};
        long first;
        try (ChildProcess demo = ChildProcess.start(dir.resolve("first.log"), List.of(), args)) {
            long started = System.nanoTime();
            demo.awaitLine(line -> line.startsWith("Heartbeat demo is up"), Duration.ofSeconds(90));
            System.out.printf("demo up after %.1f s (cold)%n", (System.nanoTime() - started) / 1e9);
            String startUp = demo.output().substring(0, demo.output().indexOf("Heartbeat demo is up"));
            assertTrue(startUp.lines().noneMatch(line -> line.startsWith("WARNING")), "the JVM warns on start:\n" + startUp);
            // the first login: an admin with a generated password in a file only its owner reads, never printed
            Path passwordFile = dir.resolve("data").resolve("admin-password");
            demo.awaitLine(line -> line.startsWith("  Sign in as  admin, password in " + passwordFile), Duration.ofSeconds(5));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            String password = Files.readString(passwordFile).strip();
            assertTrue(password.length() >= 20, "a generated password of 18 random bytes");
            assertFalse(demo.output().contains(password), "the password is in the file only, not in the output or log");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(dbPort, "SELECT count(*) FROM heartbeat_records") < 100 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            first = count(dbPort, "SELECT count(*) FROM heartbeat_records");
            assertTrue(first >= 100, "data in PostgreSQL within 30 s:\n" + demo.output());
            long stopping = System.nanoTime();
            int exit = demo.terminate(Duration.ofSeconds(10));
            assertTrue(exit >= 0, "the demo stops within 10 s of SIGTERM:\n" + demo.output());
            System.out.printf("demo stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopping) / 1e9);
            assertTrue(demo.output().contains("Stopped."), demo.output());
        }
        try (ChildProcess demo = ChildProcess.start(dir.resolve("second.log"), List.of(), args)) {
            long started = System.nanoTime();
            demo.awaitLine(line -> line.startsWith("Heartbeat demo is up"), Duration.ofSeconds(90));
            System.out.printf("demo up after %.1f s (warm, existing data)%n", (System.nanoTime() - started) / 1e9);
            long kept = count(dbPort, "SELECT count(*) FROM heartbeat_records");
            assertTrue(kept >= first, "the first run's readings are still there: " + kept + " < " + first);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(dbPort, "SELECT count(*) FROM heartbeat_records") <= first + 100 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(count(dbPort, "SELECT count(*) FROM heartbeat_records") > first + 100, demo.output());
            assertEquals(0, count(dbPort, "SELECT sum(duplicates) FROM stream_positions"),
                    "the consumer resumed at the stored positions: nothing read twice");
            assertTrue(demo.output().contains("  Sign in as  admin, password in "), "the same first login after a restart");
            assertTrue(demo.terminate(Duration.ofSeconds(10)) >= 0, demo.output());
        }
    }
}
