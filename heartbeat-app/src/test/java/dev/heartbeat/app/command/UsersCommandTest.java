package dev.heartbeat.app.command;

import dev.heartbeat.app.Main;
import dev.heartbeat.app.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code users} command against a real PostgreSQL server: each subcommand does its work, a
 * password comes from a file or standard input and is never printed, a token is printed once and
 * works, bad input exits 2 with one line; and, first, a dashboard beyond loopback with nobody to sign
 * in to refuses to start.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class UsersCommandTest {

    static final String PASSWORD = "a long enough password";
    static Path directory;
    static EmbeddedDatabase database;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("heartbeat-users");
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

    static Run users(String stdin, String... args) {
        String[] line = new String[args.length + 5];
        line[0] = "users";
        System.arraycopy(args, 0, line, 1, args.length);
        line[args.length + 1] = "--jdbc-url";
        line[args.length + 2] = database.jdbcUrl();
        line[args.length + 3] = "--db-user";
        line[args.length + 4] = EmbeddedDatabase.USER;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = Main.run(line, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aDashboardBeyondLoopbackWithNobodyToSignInRefusesToStart() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"web", "--web-bind", "0.0.0.0", "--web-port", "0", "--jdbc-url", database.jdbcUrl(),
                "--db-user", EmbeddedDatabase.USER}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("with no account to sign in to: add an admin first"), err.toString());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aPersonIsAddedChangedDisabledAndListed() throws IOException {
        Run added = users(PASSWORD + "\n", "add", "ana", "--role", "responder");
        assertEquals(0, added.code(), added.err());
        assertEquals("added ana (responder)\n", added.out());
        Path file = Files.writeString(directory.resolve("bo-password"), PASSWORD + "\n");
        assertEquals(0, users("", "add", "bo", "--role", "viewer", "--password-file", file.toString()).code());

        assertEquals(0, users("", "role", "bo", "admin").code());
        assertEquals(0, users("", "disable", "ana").code());
        Run list = users("", "list");
        assertTrue(list.out().matches("(?s)(.*\\n)?ana +responder +disabled\\nbo +admin +enabled\\n.*"), "by name: " + list.out());
        assertEquals(0, users("", "enable", "ana").code());
        assertTrue(users("", "list").out().contains("ana                      responder  enabled"));
        assertEquals(0, users("new password, long enough\n", "reset-password", "ana").code());
        for (Run run : new Run[]{added, list}) {
            assertFalse((run.out() + run.err()).contains(PASSWORD), "no password is printed");
        }
    }

    @Test
    void aTokenIsPrintedOnceListedWithoutItsSecretAndRevoked() {
        users(PASSWORD + "\n", "add", "cy", "--role", "viewer");
        Run issued = users("", "issue-token", "cy", "--label", "grafana");
        assertEquals(0, issued.code(), issued.err());
        String token = issued.out().strip();
        assertTrue(token.startsWith("hbt_"), token);
        assertTrue(issued.err().contains("shown this once"), issued.err());
        String id = token.substring(4, token.indexOf('_', 4));
        Run tokens = users("", "tokens", "cy");
        assertTrue(tokens.out().contains(id) && tokens.out().contains("grafana") && tokens.out().contains("active"), tokens.out());
        assertFalse(tokens.out().contains(token.substring(token.indexOf('_', 4) + 1)), "never the secret");
        assertEquals(0, users("", "revoke-token", id).code());
        assertTrue(users("", "tokens", "cy").out().contains("revoked"));
        Run again = users("", "revoke-token", id);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("no active token " + id), again.err());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        Run weak = users("short\n", "add", "dee", "--role", "viewer");
        assertEquals(2, weak.code());
        assertEquals(1, weak.err().lines().count(), weak.err());
        assertTrue(weak.err().contains("12-256 characters, got 5"), weak.err());
        assertFalse(weak.err().contains("short"), "not even a wrong password is repeated");

        Run noPassword = users("", "add", "dee", "--role", "viewer");
        assertEquals(2, noPassword.code());
        assertTrue(noPassword.err().contains("no password on standard input"), noPassword.err());

        Run badRole = users(PASSWORD + "\n", "add", "dee", "--role", "superuser");
        assertEquals(2, badRole.code());
        assertTrue(badRole.err().contains("viewer, responder, admin"), badRole.err());

        Run badName = users(PASSWORD + "\n", "add", "Dee Dee", "--role", "viewer");
        assertEquals(2, badName.code());
        Run unknown = users("", "disable", "nobody");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no account named nobody"), unknown.err());
        users(PASSWORD + "\n", "add", "eve", "--role", "viewer");
        Run taken = users(PASSWORD + "\n", "add", "eve", "--role", "viewer");
        assertEquals(2, taken.code());
        assertTrue(taken.err().contains("already an account named eve"), taken.err());
    }

    static Run command(String... args) {
        String[] line = new String[args.length + 4];
        System.arraycopy(args, 0, line, 0, args.length);
        line[args.length] = "--jdbc-url";
        line[args.length + 1] = database.jdbcUrl();
        line[args.length + 2] = "--db-user";
        line[args.length + 3] = EmbeddedDatabase.USER;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(line, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @org.junit.jupiter.api.Order(10)
    void everyChangeToPeopleIsAuditedAndTheChainVerifiesUntilSomeoneRewritesIt() throws Exception {
        users(PASSWORD + "\n", "add", "fay", "--role", "viewer");
        users("", "disable", "fay");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
             java.sql.Statement s = c.createStatement()) {
            java.sql.ResultSet rows = s.executeQuery("SELECT actor, action, outcome, client FROM audit_log ORDER BY seq DESC LIMIT 2");
            assertTrue(rows.next());
            assertEquals("users.disable", rows.getString("action"));
            assertEquals("ok:fay", rows.getString("outcome"));
            assertTrue(rows.getString("actor").startsWith("os:"), rows.getString("actor"));
            assertEquals("command line", rows.getString("client"));
            assertTrue(rows.next());
            assertEquals("users.add", rows.getString("action"));

            Run intact = command("audit", "verify");
            assertEquals(0, intact.code(), intact.err());
            assertTrue(intact.out().startsWith("audit chain intact: "), intact.out());

            s.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
            s.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2");
            s.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
        }
        Run broken = command("audit", "verify");
        assertEquals(1, broken.code(), broken.out());
        assertEquals(1, broken.err().lines().count(), broken.err());
        assertTrue(broken.err().contains("audit chain broken: record 2 ("), broken.err());
    }
}
