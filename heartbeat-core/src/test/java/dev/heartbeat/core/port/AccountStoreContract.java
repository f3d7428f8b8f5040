package dev.heartbeat.core.port;

import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;
import dev.heartbeat.core.access.Identity;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.core.authentication.Accounts.IssuedToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every account store promises, seen through {@link Accounts}: people sign in with their
 * password and only while enabled, roles and passwords change, tokens work until revoked and only the
 * hashes are kept. Run by the in-memory store and by the PostgreSQL one.
 */
public abstract class AccountStoreContract {

    protected static final String PASSWORD = "correct horse battery";
    protected AccountStore store;
    protected Accounts accounts;

    /** A store with no accounts in it. */
    protected abstract AccountStore emptyStore();

    /** The hasher the accounts use. */
    protected PasswordHasher hasher() {
        return new SaltedTestHasher();
    }

    @BeforeEach
    void setUp() {
        store = emptyStore();
        accounts = new Accounts(store, hasher(), Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aPersonSignsInWithTheirPasswordOnly() {
        assertFalse(accounts.hasAccounts());
        accounts.add("ana", Role.RESPONDER, PASSWORD);
        assertTrue(accounts.hasAccounts());

        assertEquals(Optional.of(new Identity("ana", Role.RESPONDER, "session")), accounts.signIn("ana", PASSWORD));
        assertEquals(Optional.of(new Identity("ana", Role.RESPONDER, "session")), accounts.signIn(" Ana ", PASSWORD));
        assertEquals(Optional.empty(), accounts.signIn("ana", PASSWORD + "x"));
        assertEquals(Optional.empty(), accounts.signIn("nobody", PASSWORD));
        assertEquals(Optional.empty(), accounts.signIn(null, null));
        assertFalse(store.find("ana").orElseThrow().passwordHash().contains(PASSWORD), "only a hash is stored");
    }

    @Test
    void namesAreUniqueAndPasswordsLongEnough() {
        accounts.add("ana", Role.VIEWER, PASSWORD);
        InvalidValueException taken = assertThrows(InvalidValueException.class, () -> accounts.add("ana", Role.ADMIN, PASSWORD));
        assertTrue(taken.getMessage().contains("already an account named ana"), taken.getMessage());
        assertEquals(Role.VIEWER, accounts.find("ana").orElseThrow().role());
        InvalidValueException weak = assertThrows(InvalidValueException.class, () -> accounts.add("bo", Role.VIEWER, "short"));
        assertTrue(weak.getMessage().contains("12-256 characters, got 5"), weak.getMessage());
        assertThrows(InvalidValueException.class, () -> accounts.add("Bad Name", Role.VIEWER, PASSWORD));
        assertEquals(List.of("ana"), accounts.list().stream().map(Account::username).toList());
    }

    @Test
    void aDisabledAccountCanNeitherSignInNorUseItsTokens() {
        accounts.add("ana", Role.RESPONDER, PASSWORD);
        IssuedToken token = accounts.issueToken("ana", "script");
        accounts.setDisabled("ana", true);
        assertEquals(Optional.empty(), accounts.signIn("ana", PASSWORD));
        assertEquals(Optional.empty(), accounts.authenticateToken(token.text()));
        assertTrue(accounts.find("ana").orElseThrow().disabled());
        accounts.setDisabled("ana", false);
        assertTrue(accounts.signIn("ana", PASSWORD).isPresent());
        assertTrue(accounts.authenticateToken(token.text()).isPresent());
    }

    @Test
    void rolesAndPasswordsChange() {
        accounts.add("ana", Role.VIEWER, PASSWORD);
        accounts.setRole("ana", Role.ADMIN);
        assertEquals(Role.ADMIN, accounts.signIn("ana", PASSWORD).orElseThrow().role());
        accounts.resetPassword("ana", "a different long one");
        assertEquals(Optional.empty(), accounts.signIn("ana", PASSWORD));
        assertTrue(accounts.signIn("ana", "a different long one").isPresent());
        assertThrows(InvalidValueException.class, () -> accounts.setRole("nobody", Role.ADMIN));
    }

    @Test
    void aTokenActsAsItsAccountUntilRevoked() {
        accounts.add("ana", Role.RESPONDER, PASSWORD);
        IssuedToken first = accounts.issueToken("ana", "grafana");
        IssuedToken second = accounts.issueToken("ana", "cron job");
        assertTrue(first.text().startsWith("hbt_" + first.token().id() + "_"), first.text());
        assertFalse(first.toString().contains(first.text().substring(20)), "the text is never in toString");

        assertEquals(Optional.of(new Identity("ana", Role.RESPONDER, "token")), accounts.authenticateToken(first.text()));
        String tampered = first.text().substring(0, first.text().length() - 2) + (first.text().endsWith("A") ? "BB" : "AA");
        assertEquals(Optional.empty(), accounts.authenticateToken(tampered));
        assertEquals(Optional.empty(), accounts.authenticateToken("hbt_" + first.token().id() + "_" + second.text().substring(22)));
        assertEquals(Optional.empty(), accounts.authenticateToken("hbt_nothing"));
        assertEquals(Optional.empty(), accounts.authenticateToken("not a token"));

        byte[] stored = store.findToken(first.token().id()).orElseThrow().secretHash();
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(first.text().substring(22)), "only a hash is stored");
        assertEquals(List.of("grafana", "cron job"), accounts.tokens("ana").stream().map(ApiToken::label).sorted().toList().reversed());

        assertTrue(accounts.revokeToken(first.token().id()));
        assertFalse(accounts.revokeToken(first.token().id()), "revoked already");
        assertFalse(accounts.revokeToken("no-such-token"));
        assertEquals(Optional.empty(), accounts.authenticateToken(first.text()));
        assertTrue(accounts.authenticateToken(second.text()).isPresent());
        assertTrue(accounts.tokens("ana").stream().filter(t -> t.id().equals(first.token().id())).findFirst().orElseThrow().isRevoked());
    }

    @Test
    void aTokensRoleFollowsItsAccount() {
        accounts.add("ana", Role.ADMIN, PASSWORD);
        IssuedToken token = accounts.issueToken("ana", "");
        accounts.setRole("ana", Role.VIEWER);
        assertEquals(Role.VIEWER, accounts.authenticateToken(token.text()).orElseThrow().role());
    }
}
