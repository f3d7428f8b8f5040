package dev.heartbeat.app.command;

import dev.heartbeat.app.Main;
import dev.heartbeat.app.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code setup-database} on a real PostgreSQL: run by the superuser it makes the roles, and then the
 * commands each role is for work as that role; run again it changes nothing; run by a service role, or
 * with a short password, it exits 2 with one line. No password appears in what it prints.
 */
class SetupDatabaseCommandTest {

    static final Map<String, String> PASSWORDS = Map.of(
            "HEARTBEAT_INGEST_DB_PASSWORD", "ingest password 1",
            "HEARTBEAT_DASHBOARD_DB_PASSWORD", "dashboard password 2",
            "HEARTBEAT_REPORTING_DB_PASSWORD", "reporting password 3");
    static Path directory;
    static EmbeddedDatabase database;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("heartbeat-setup");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        database = EmbeddedDatabase.start(directory.resolve("postgres"), port, "heartbeat");
    }

    @AfterAll
    static void stop() throws IOException {
        database.close();
    }

    /** Runs {@code args} as {@code user} (with the password the setup gave it) and the environment {@code extra}. */
    static Run as(String user, Map<String, String> extra, String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--jdbc-url", database.jdbcUrl(), "--db-user", user));
        Map<String, String> environment = new HashMap<>(extra);
        String password = PASSWORDS.get("HEARTBEAT_" + user.replace("heartbeat_", "").toUpperCase() + "_DB_PASSWORD");
        if (password != null) {
            environment.put("HEARTBEAT_DB_PASSWORD", password);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(line.toArray(String[]::new), environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSuperuserSetsUpTheRolesAndEachRoleDoesItsWork() throws IOException {
        Run setup = as(EmbeddedDatabase.USER, PASSWORDS, "setup-database");
        assertEquals(0, setup.code(), setup.err());
        assertTrue(setup.out().startsWith("Database heartbeat belongs to heartbeat_owner"), setup.out());
        assertTrue(setup.out().contains("heartbeat_ingest     may log in (password set)"), setup.out());
        assertTrue(setup.out().contains("heartbeat_owner      no login"), setup.out());
        for (String password : PASSWORDS.values()) {
            assertFalse((setup.out() + setup.err()).contains(password), "no password is printed");
        }
        Run again = as(EmbeddedDatabase.USER, Map.of(), "setup-database");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("(0 objects handed over)"), again.out());
        assertTrue(again.out().contains("heartbeat_dashboard  may log in (password unchanged)"), again.out());

        Path passwordFile = directory.resolve("ana-password");
        Files.writeString(passwordFile, "a long enough password\n");
        Run added = as("heartbeat_dashboard", Map.of(), "users", "add", "ana", "--role", "admin", "--password-file", passwordFile.toString());
        assertEquals(0, added.code(), added.err());
        Run verified = as("heartbeat_dashboard", Map.of(), "audit", "verify");
        assertEquals(0, verified.code(), verified.err());
        Run retention = as("heartbeat_ingest", Map.of(), "retention");
        assertEquals(0, retention.code(), retention.err());

        Run notSuper = as("heartbeat_dashboard", Map.of(), "setup-database");
        assertEquals(2, notSuper.code(), notSuper.out() + notSuper.err());
        assertTrue(notSuper.err().contains("needs a superuser"), notSuper.err());
        Run readOnly = as("heartbeat_reporting", Map.of(), "users", "add", "bo", "--role", "viewer", "--password-file", passwordFile.toString());
        assertTrue(readOnly.code() != 0, "reporting changes no people: " + readOnly.out());
    }

    @Test
    void aShortPasswordIsRefusedWithOneLine() {
        Run shortOne = as(EmbeddedDatabase.USER, Map.of("HEARTBEAT_INGEST_DB_PASSWORD", "short"), "setup-database");
        assertEquals(2, shortOne.code(), shortOne.out() + shortOne.err());
        assertEquals(1, shortOne.err().strip().lines().count(), shortOne.err());
        assertTrue(shortOne.err().contains("heartbeat_ingest must have at least 12 characters"), shortOne.err());
    }
}
