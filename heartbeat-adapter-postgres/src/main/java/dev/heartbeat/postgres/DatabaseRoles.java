package dev.heartbeat.postgres;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.InvalidValueException;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Least privilege in PostgreSQL: the four roles Heartbeat's processes connect as, and the one-time setup a
 * superuser runs (and may run again: every step is idempotent). It creates the roles, gives the ones with a
 * password a login (the password travels as a SCRAM verifier computed here, never as text a server log
 * could keep), hands the database and every object of the schema to the owner, lets only the service
 * roles connect, makes the reporting role read-only, and migrates as the owner, whose grants
 * ({@code sql/afterMigrate__grants.sql}) give each service role exactly its work.
 */
public final class DatabaseRoles {

    /** The smallest password a role may get. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    /** Who connects for what. */
    public enum Role {
        /** Owns the schema and runs the migrations; no service connects as it. */
        OWNER("heartbeat_owner"),
        /** The consumers (consume, and the ingest half of run). */
        INGEST("heartbeat_ingest"),
        /** The dashboard (web, and the dashboard half of run), and the users and audit commands. */
        DASHBOARD("heartbeat_dashboard"),
        /** Grafana and pgAdmin: read-only, no raw readings, people or audit trail. */
        REPORTING("heartbeat_reporting");

        private final String roleName;

        Role(String roleName) {
            this.roleName = roleName;
        }

        /** The PostgreSQL role's name. */
        public String roleName() {
            return roleName;
        }
    }

    /** What the setup left in place: the database, which roles may log in, objects handed over, the schema version. */
    public record Outcome(String database, Map<Role, Boolean> canLogIn, int objectsHandedOver, String schemaVersion) {
        public Outcome {
            canLogIn = Map.copyOf(canLogIn);
        }
    }

    private DatabaseRoles() {
    }

    /**
     * Sets the roles up in the database {@code admin} is connected to, as the superuser it is connected as.
     *
     * @param passwords the roles that get a login, with their passwords; a role not named keeps the login it
     *                  has (none, when it is created here)
     * @throws InvalidValueException when a password is shorter than {@link #MIN_PASSWORD_LENGTH}, or the
     *                               connected user is not a superuser
     * @throws HeartbeatException    when a step fails
     */
    public static Outcome setUp(PostgresDatabase admin, Map<Role, String> passwords) {
        Objects.requireNonNull(admin, "admin");
        passwords.forEach((role, password) -> {
            if (password.length() < MIN_PASSWORD_LENGTH) {
                throw new InvalidValueException("the password of " + role.roleName() + " must have at least "
                        + MIN_PASSWORD_LENGTH + " characters, got " + password.length());
            }
        });
        try {
            Outcome prepared = admin.jdbi().inTransaction(handle -> {
                boolean superuser = handle.createQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                        .mapTo(Boolean.class).one();
                if (!superuser) {
                    throw new InvalidValueException("setting up the database roles needs a superuser (it creates roles and "
                            + "hands the database to " + Role.OWNER.roleName() + "); " + admin.settings().user() + " is not one");
                }
                for (Role role : Role.values()) {
                    createIfMissing(handle, role);
                }
                for (Map.Entry<Role, String> login : passwords.entrySet()) {
                    handle.execute("ALTER ROLE " + PostgresDatabase.quoteIdentifier(login.getKey().roleName()) + " LOGIN");
                    setPassword(handle, login.getKey(), login.getValue());
                }
                String database = handle.createQuery("SELECT current_database()").mapTo(String.class).one();
                String quoted = PostgresDatabase.quoteIdentifier(database);
                handle.execute("ALTER DATABASE " + quoted + " OWNER TO heartbeat_owner");
                int handedOver = handOverObjects(handle);
                handle.execute("REVOKE ALL ON DATABASE " + quoted + " FROM PUBLIC");
                handle.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + quoted
                        + " TO heartbeat_ingest, heartbeat_dashboard, heartbeat_reporting");
                handle.execute("ALTER ROLE heartbeat_reporting SET default_transaction_read_only = on");
                return new Outcome(database, canLogIn(handle), handedOver, "");
            });
            String version = admin.migrateAs(Role.OWNER.roleName());
            return new Outcome(prepared.database(), prepared.canLogIn(), prepared.objectsHandedOver(), version);
        } catch (HeartbeatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.translate("setting up the database roles", e);
        }
    }

    private static void createIfMissing(Handle handle, Role role) {
        boolean exists = handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name)")
                .bind("name", role.roleName()).mapTo(Boolean.class).one();
        if (!exists) {
            handle.execute("CREATE ROLE " + PostgresDatabase.quoteIdentifier(role.roleName()) + " NOLOGIN");
        }
    }

    private static void setPassword(Handle handle, Role role, String password) {
        try {
            handle.getConnection().unwrap(PGConnection.class)
                    .alterUserPassword(role.roleName(), password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new HeartbeatException("setting the password of " + role.roleName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Hands every table, view, sequence and function of the schema to the owner (a database set up before
     * the roles existed belongs to whoever migrated it). Sequences that belong to a column move with their
     * table; indexes, triggers and partitions' own objects likewise.
     */
    private static int handOverObjects(Handle handle) {
        return handle.createQuery("""
                        WITH relations AS (
                            SELECT format('ALTER %s %I OWNER TO heartbeat_owner',
                                          CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                                         WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.relname) AS statement
                            FROM pg_class c
                            WHERE c.relnamespace = current_schema()::regnamespace
                              AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                              AND c.relowner <> 'heartbeat_owner'::regrole
                              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                                                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                                                     AND d.deptype IN ('a', 'i')))
                        ), routines AS (
                            SELECT format('ALTER ROUTINE %s OWNER TO heartbeat_owner', p.oid::regprocedure) AS statement
                            FROM pg_proc p
                            WHERE p.pronamespace = current_schema()::regnamespace AND p.proowner <> 'heartbeat_owner'::regrole
                        )
                        SELECT statement FROM relations UNION ALL SELECT statement FROM routines""")
                .mapTo(String.class).list().stream()
                .mapToInt(statement -> {
                    handle.execute(statement);
                    return 1;
                }).sum();
    }

    private static Map<Role, Boolean> canLogIn(Handle handle) {
        Map<Role, Boolean> canLogIn = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            canLogIn.put(role, handle.createQuery("SELECT rolcanlogin FROM pg_roles WHERE rolname = :name")
                    .bind("name", role.roleName()).mapTo(Boolean.class).findOne().orElse(false));
        }
        return canLogIn;
    }
}
