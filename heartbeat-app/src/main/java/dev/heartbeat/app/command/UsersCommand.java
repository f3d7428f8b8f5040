package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.core.access.Account;
import dev.heartbeat.core.access.ApiToken;
import dev.heartbeat.core.access.Role;
import dev.heartbeat.core.authentication.Accounts;
import dev.heartbeat.core.audit.AuditEvent;
import dev.heartbeat.postgres.PostgresAccountStore;
import dev.heartbeat.postgres.PostgresAuditLog;
import dev.heartbeat.postgres.PostgresDatabase;
import dev.heartbeat.web.Argon2PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The people who may use the dashboard, managed in its database. A password is read from a file
 * ({@code --password-file}) or from the first line of standard input, never from the command line,
 * and is never printed; a token is printed once, when issued.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Manage the dashboard's people: add, list, change a role, disable, reset a password, issue and revoke API tokens.",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.SetRole.class, UsersCommand.Disable.class,
                UsersCommand.Enable.class, UsersCommand.ResetPassword.class, UsersCommand.IssueToken.class,
                UsersCommand.Tokens.class, UsersCommand.RevokeToken.class})
final class UsersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_USAGE;
    }

    /** What every subcommand shares: the database, and running one action on the accounts in it. */
    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DatabaseOptions database;

        @Override
        public final Integer call() {
            try (PostgresDatabase db = Commands.connect(database)) {
                Accounts accounts = new Accounts(new PostgresAccountStore(db), new Argon2PasswordHasher(), Clock.systemUTC());
                int code = run(accounts, spec.commandLine().getOut());
                // every change to people is audited, by the operating-system user who ran the command
                if (!spec.name().equals("list") && !spec.name().equals("tokens")) {
                    new PostgresAuditLog(db).append(new AuditEvent(Clock.systemUTC().instant(),
                            "os:" + System.getProperty("user.name", "unknown"), "operator", "users." + spec.name(),
                            Optional.empty(), Optional.empty(), "command line", "ok:" + subject()));
                }
                return code;
            } catch (InvalidValueException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
        }

        abstract int run(Accounts accounts, PrintWriter out);

        /** Whom or what the change was about (a name or a token id), for the audit record. */
        String subject() {
            return spec.positionalParameters().isEmpty() ? "" : String.valueOf((Object) spec.positionalParameters().getFirst().getValue());
        }
    }

    /** Where a password comes from: a file, or the first line of standard input. */
    static final class PasswordSource {
        @Option(names = "--password-file", paramLabel = "FILE",
                description = "Read the password from this file (its first line); without it, from standard input.")
        Path file;

        String read() {
            try {
                if (file != null) {
                    return firstLine(Files.newBufferedReader(file, StandardCharsets.UTF_8), "--password-file " + file);
                }
                return firstLine(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "standard input");
            } catch (IOException e) {
                throw new ConfigurationException("could not read the password from " + (file == null ? "standard input" : file)
                        + ": " + e.getMessage());
            }
        }

        private static String firstLine(BufferedReader reader, String where) throws IOException {
            try (reader) {
                String line = reader.readLine();
                if (line == null || line.isEmpty()) {
                    throw new ConfigurationException("no password on " + where + ": give one line of "
                            + Accounts.MIN_PASSWORD_LENGTH + "-" + Accounts.MAX_PASSWORD_LENGTH + " characters");
                }
                return line;
            }
        }
    }

    static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Role.parse(value);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a person with a role; the password from --password-file or standard input.")
    static final class Add extends Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "1-64 of a-z 0-9 . _ @ -")
        String name;
        @Option(names = "--role", required = true, converter = RoleConverter.class, description = "viewer, responder or admin")
        Role role;
        @Mixin
        PasswordSource password;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Account account = accounts.add(name, role, password.read());
            out.println("added " + account.username() + " (" + account.role().id() + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the people, their roles and whether they are disabled.")
    static final class ListUsers extends Action {
        @Override
        int run(Accounts accounts, PrintWriter out) {
            for (Account account : accounts.list()) {
                out.printf("%-24s %-10s %s%n", account.username(), account.role().id(), account.disabled() ? "disabled" : "enabled");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true, description = "Change a person's role.")
    static final class SetRole extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "ROLE", converter = RoleConverter.class, description = "viewer, responder or admin")
        Role role;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            out.println(accounts.setRole(name, role).username() + " is now a " + role.id());
            return ExitCodes.OK;
        }
    }

    /** Disabling and enabling: the same change, one way or the other. */
    abstract static class SetEnabled extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        private final boolean enabled;

        SetEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        int run(Accounts accounts, PrintWriter out) {
            out.println(accounts.setDisabled(name, !enabled).username() + " is " + (enabled ? "enabled" : "disabled"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a person: no sign-in, their tokens stop, their open sessions end within 30 s.")
    static final class Disable extends SetEnabled {
        Disable() {
            super(false);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled person again.")
    static final class Enable extends SetEnabled {
        Enable() {
            super(true);
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = "Give a person a new password, from --password-file or standard input.")
    static final class ResetPassword extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Mixin
        PasswordSource password;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            accounts.resetPassword(name, password.read());
            out.println("the password of " + name + " is changed");
            return ExitCodes.OK;
        }
    }

    @Command(name = "issue-token", mixinStandardHelpOptions = true,
            description = "Issue an API token for a person's scripts: printed once, stored hashed; it acts with the person's role.")
    static final class IssueToken extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--label", defaultValue = "", description = "What the token is for.")
        String label;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Accounts.IssuedToken issued = accounts.issueToken(name, label);
            out.println(issued.text());
            spec.commandLine().getErr().println("token " + issued.token().id() + " issued for " + name
                    + "; it is shown this once: keep it in a secret store (send it as Authorization: Bearer <token>)");
            return ExitCodes.OK;
        }
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true, description = "List a person's API tokens (never their secrets).")
    static final class Tokens extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Function<ApiToken, String> state = t -> t.revokedAt().map(at -> "revoked " + at).orElse("active");
            for (ApiToken token : accounts.tokens(name)) {
                out.printf("%-18s %-22s %-32s %s%n", token.id(), token.createdAt(), token.label(), state.apply(token));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke-token", mixinStandardHelpOptions = true, description = "Revoke an API token by its id.")
    static final class RevokeToken extends Action {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            if (!accounts.revokeToken(id)) {
                throw new ConfigurationException("no active token " + id + " (see: heartbeat users tokens <name>)");
            }
            out.println("token " + id + " revoked");
            return ExitCodes.OK;
        }
    }
}
