package dev.heartbeat.app.command;

import dev.heartbeat.app.options.ConfigurationException;
import dev.heartbeat.app.options.DatabaseOptions;
import dev.heartbeat.app.options.ExitCodes;
import dev.heartbeat.core.InvalidValueException;
import dev.heartbeat.postgres.DatabaseRoles;
import dev.heartbeat.postgres.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The one-time (and repeatable) least-privilege setup a superuser runs: the owner and the service roles,
 * their passwords, the database handed to the owner, the schema migrated and granted (docs/security.md).
 */
@Command(name = "setup-database", mixinStandardHelpOptions = true,
        description = {"Create Heartbeat's PostgreSQL roles (heartbeat_owner, heartbeat_ingest, heartbeat_dashboard, "
                + "heartbeat_reporting), hand the database to the owner, migrate it as the owner and grant each service "
                + "role its work. Connect as a superuser (--db-user); safe to run again, e.g. on every deployment.",
                "A role given a password may log in with it; one given none keeps the login it has (none when new)."})
final class SetupDatabaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--owner-db-password", description = "Password of heartbeat_owner, for running heartbeat migrate "
            + "as the owner (env HEARTBEAT_OWNER_DB_PASSWORD or _FILE). Without it the owner cannot log in: this command migrates.")
    String ownerPassword;
    @Option(names = "--ingest-db-password", description = "Password of heartbeat_ingest, the consumers' role "
            + "(env HEARTBEAT_INGEST_DB_PASSWORD or _FILE).")
    String ingestPassword;
    @Option(names = "--dashboard-db-password", description = "Password of heartbeat_dashboard, the dashboard's role "
            + "(env HEARTBEAT_DASHBOARD_DB_PASSWORD or _FILE).")
    String dashboardPassword;
    @Option(names = "--reporting-db-password", description = "Password of heartbeat_reporting, the read-only role for "
            + "Grafana and pgAdmin (env HEARTBEAT_REPORTING_DB_PASSWORD or _FILE).")
    String reportingPassword;

    @Override
    public Integer call() {
        Map<DatabaseRoles.Role, String> passwords = new EnumMap<>(DatabaseRoles.Role.class);
        put(passwords, DatabaseRoles.Role.OWNER, ownerPassword);
        put(passwords, DatabaseRoles.Role.INGEST, ingestPassword);
        put(passwords, DatabaseRoles.Role.DASHBOARD, dashboardPassword);
        put(passwords, DatabaseRoles.Role.REPORTING, reportingPassword);
        PrintWriter out = spec.commandLine().getOut();
        try (PostgresDatabase admin = Commands.connect(database)) {
            DatabaseRoles.Outcome outcome = DatabaseRoles.setUp(admin, passwords);
            out.printf("Database %s belongs to heartbeat_owner (%d objects handed over); schema at version %s, granted.%n",
                    outcome.database(), outcome.objectsHandedOver(), outcome.schemaVersion());
            for (DatabaseRoles.Role role : DatabaseRoles.Role.values()) {
                out.printf("  %-20s %s%n", role.roleName(), outcome.canLogIn().get(role)
                        ? (passwords.containsKey(role) ? "may log in (password set)" : "may log in (password unchanged)")
                        : "no login");
            }
        } catch (InvalidValueException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        return ExitCodes.OK;
    }

    private static void put(Map<DatabaseRoles.Role, String> passwords, DatabaseRoles.Role role, String password) {
        if (password != null && !password.isEmpty()) {
            passwords.put(role, password);
        }
    }
}
