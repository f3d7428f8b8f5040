package dev.heartbeat.postgres;

import dev.heartbeat.core.HeartbeatException;
import dev.heartbeat.core.StoreUnavailableException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/** What a failure from the driver means for the caller: unavailable for now, or something to fix. */
final class SqlFailures {

    static final String UNIQUE_VIOLATION = "23505";
    static final String CHECK_VIOLATION = "23514";

    private SqlFailures() {
    }

    /** The SQLSTATE of the first {@link SQLException} among the causes, if any. */
    static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    static boolean isUniqueViolation(Throwable failure) {
        return sqlState(failure).filter(UNIQUE_VIOLATION::equals).isPresent();
    }

    /** A row for a day without a partition (there is no DEFAULT partition on purpose). */
    static boolean isMissingPartition(Throwable failure) {
        return sqlState(failure).filter(CHECK_VIOLATION::equals).isPresent()
                && String.valueOf(rootMessage(failure)).contains("no partition of relation");
    }

    /**
     * Whether trying again later may succeed: the connection broke or could not be had, the server is
     * shutting down or starting, a statement or lock wait timed out, or a transaction lost a race.
     */
    static boolean isTransient(Throwable failure) {
        Optional<String> state = sqlState(failure);
        if (state.isPresent()) {
            String code = state.get();
            return code.startsWith("08")              // connection exception
                    || code.startsWith("53")          // insufficient resources
                    || code.startsWith("57P")         // admin/crash shutdown, cannot connect now
                    || code.equals("57014")           // statement timeout, cancel
                    || code.equals("55P03")           // lock not available (lock_timeout)
                    || code.equals("40001")           // serialization failure
                    || code.equals("40P01")           // deadlock
                    || code.startsWith("58");         // system error (I/O)
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The failure as core's exception: {@link StoreUnavailableException} when it is transient. */
    static HeartbeatException translate(String doing, Throwable failure) {
        if (failure instanceof HeartbeatException heartbeat) {
            return heartbeat;
        }
        String message = "PostgreSQL failed while " + doing + ": " + describe(failure);
        return isTransient(failure) ? new StoreUnavailableException(message, failure) : new HeartbeatException(message, failure);
    }

    private static String describe(Throwable failure) {
        String state = sqlState(failure).map(s -> " [SQLSTATE " + s + "]").orElse("");
        return rootMessage(failure) + state;
    }

    private static String rootMessage(Throwable failure) {
        Throwable deepestSql = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                deepestSql = t;
                break;
            }
            deepestSql = t;
        }
        String message = deepestSql.getMessage();
        return message == null ? deepestSql.getClass().getSimpleName() : message;
    }
}
