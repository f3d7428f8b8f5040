package dev.heartbeat.app.runtime;

import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.core.memory.InMemoryAccountStore;
import dev.heartbeat.web.Argon2PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first admin: made only while there are no accounts, with the given password or a generated one in a private file. */
class FirstAdminTest {

    final Accounts accounts = new Accounts(new InMemoryAccountStore(), new Argon2PasswordHasher(), Clock.systemUTC());

    @Test
    void aGivenPasswordMakesTheAdminOnceAndIsNeverShown() {
        FirstAdmin first = new FirstAdmin("boss", Optional.of("the operator's long secret"), Optional.empty());
        assertTrue(first.createIn(accounts));
        assertEquals(Role.ADMIN, accounts.signIn("boss", "the operator's long secret").orElseThrow().role());
        assertFalse(first.toString().contains("secret"), first.toString());
        assertFalse(new FirstAdmin("other", Optional.of("another long secret"), Optional.empty()).createIn(accounts),
                "once any account exists, nothing is made");
        assertTrue(accounts.find("other").isEmpty());
    }

    @Test
    void withoutOneAPasswordIsGeneratedIntoAFileOnlyItsOwnerReads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("admin-password");
        assertTrue(new FirstAdmin("admin", Optional.empty(), Optional.of(file)).createIn(accounts));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file).strip();
        assertTrue(password.length() >= 24, password.length() + " characters");
        assertTrue(accounts.signIn("admin", password).isPresent());
    }

    @Test
    void aDashboardBeyondLoopbackIsKnownAsSuch() {
        assertTrue(Wiring.isLoopback("127.0.0.1"));
        assertTrue(Wiring.isLoopback("::1"));
        assertTrue(Wiring.isLoopback("localhost"));
        assertFalse(Wiring.isLoopback("0.0.0.0"));
        assertFalse(Wiring.isLoopback("10.1.2.3"));
    }
}
