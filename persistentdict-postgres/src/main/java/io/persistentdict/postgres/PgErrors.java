package io.persistentdict.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.persistentdict.PersistentDictException;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.WriteOutcomeUnknownException;
import io.persistentdict.engine.EngineErrors;
import io.persistentdict.engine.ErrorKind;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL's errors, by SQLSTATE: what kind each is, and messages that name the
 * database (never its password) and the dict, and say what to do. A server's detail
 * lines, which can quote keys and values, are left out.
 */
final class PgErrors implements EngineErrors {

	/**
	 * The SQLSTATE this engine gives a failure whose outcome is unknown: the connection
	 * was lost while a commit (or a statement that was its own commit) was under way. It
	 * is SQL's own {@code transaction_resolution_unknown}.
	 */
	static final String OUTCOME_UNKNOWN = "08007";

	private final String location;

	PgErrors(String location) {
		this.location = location;
	}

	@Override
	public String location() {
		return this.location;
	}

	@Override
	public ErrorKind classify(SQLException ex) {
		String state = state(ex);
		if (state == null) {
			return isConnectionFailure(ex) ? ErrorKind.FATAL : ErrorKind.OTHER;
		}
		if (state.equals(OUTCOME_UNKNOWN)) {
			return ErrorKind.OUTCOME_UNKNOWN;
		}
		if (state.equals("40001") || state.equals("40P01")) {
			return ErrorKind.CONFLICT;
		}
		if (state.startsWith("08") || state.startsWith("57P") || state.equals("25P02") || state.startsWith("XX")) {
			// the connection is gone, the server is going down, or the transaction is
			// already aborted
			return ErrorKind.FATAL;
		}
		if (state.equals("25006") || state.equals("42501")) {
			return ErrorKind.READ_ONLY;
		}
		if (state.equals("53100")) {
			return ErrorKind.FULL;
		}
		if (state.startsWith("22") || state.startsWith("23") || state.equals("54000")) {
			return ErrorKind.ROW_FAULT;
		}
		return ErrorKind.OTHER;
	}

	@Override
	public PersistentDictException translate(SQLException ex, String action, @Nullable String dict) {
		String named = (dict != null) ? dict : dictOf(ex);
		String where = (named != null) ? "dict '" + named + "' in store " + this.location : "store " + this.location;
		String what = capitalize(action);
		String state = state(ex);
		String detail = message(ex) + ((state != null) ? " (SQLSTATE " + state + ")" : "");
		if (ex instanceof SQLTransientConnectionException && state == null) {
			// the pool's own timeout (HikariCP: "Connection is not available"): no
			// statement ran
			return new PersistentDictException(what + " on " + where + " got no connection from the DataSource within"
					+ " its connection timeout; nothing of this operation was written. Check that the database is up"
					+ " (the store takes fresh connections and recovers by itself), and that the pool has room: the"
					+ " store holds one connection per read or commit in progress, and one for its near caches'"
					+ " listener (" + detail + ")", ex);
		}
		return switch (classify(ex)) {
			case OUTCOME_UNKNOWN -> new WriteOutcomeUnknownException(what + " on " + where
					+ ": the connection to the database was lost while the write was committing, so it may or may"
					+ " not have happened. It was not retried, so that nothing is applied twice: read the value back"
					+ " to find out, and write again if it is needed (" + detail + ")", ex);
			case CONFLICT -> new PersistentDictException(what + " on " + where
					+ " kept conflicting with other instances' transactions on the same keys and was given up after"
					+ " the store's retries; nothing of it was written. Retry later, or spread the writes over more"
					+ " keys (" + detail + ")", ex);
			case READ_ONLY -> message(ex).startsWith("permission denied for schema")
					? new ReadOnlyStoreException(what + " on " + where + " was refused by PostgreSQL: " + detail
							+ ". A new dict needs a table of its own, and the database user may not create tables in"
							+ " the schema: grant the user CREATE on the schema, open the dict once as a user that"
							+ " may, or create its table in your migrations and open the store with"
							+ " createSchema(false); open the store with OpenMode.READ_ONLY to only read")
					: new ReadOnlyStoreException(what + " on " + where + " was refused by PostgreSQL: " + detail
							+ ". The database user may not write to the schema's tables, or the server is a"
							+ " read-only standby: grant the user SELECT, INSERT, UPDATE and DELETE on the tables,"
							+ " point the DataSource at the primary, or open the store with OpenMode.READ_ONLY to"
							+ " only read");
			case FULL -> new PersistentDictException(what + " on " + where
					+ " failed because the database server's disk is full; the write was rolled back and earlier"
					+ " data is intact. Free disk space on the server, then retry (" + detail + ")", ex);
			case FATAL -> new PersistentDictException(what + " on " + where
					+ " failed because the connection to the database was lost or the server is shutting down;"
					+ " nothing of this operation was committed. Check that the database is up: the store takes"
					+ " fresh connections from its DataSource and recovers by itself (" + detail + ")", ex);
			default -> "57014".equals(state) ? new PersistentDictException(what + " on " + where
					+ " was cancelled by the server: it ran longer than the statement_timeout, or was cancelled by"
					+ " an administrator; nothing of it was committed. Raise the statement_timeout of the database"
					+ " user, or look for long transactions holding locks on the dict's table (" + detail + ")", ex)
					: new PersistentDictException(what + " failed on " + where + ": " + detail, ex);
		};
	}

	/**
	 * Return an exception that carries the dict a failed statement was for, so that the
	 * message names it wherever the failure is translated.
	 * @param ex the failure
	 * @param dict the dict's qualified name
	 * @return the failure, with the dict
	 */
	static SQLException inDict(SQLException ex, String dict) {
		if (ex instanceof DictSqlException) {
			return ex;
		}
		return new DictSqlException(ex, dict);
	}

	/**
	 * Return whether a failure means the connection is gone.
	 * @param ex the failure
	 * @return whether it does
	 */
	static boolean isConnectionFailure(SQLException ex) {
		String state = state(ex);
		if (state != null && state.startsWith("08")) {
			return true;
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return whether a statement that was its own commit, or a {@code COMMIT}, may have
	 * committed although it failed: the connection was lost, or the server ended the
	 * session (terminated by an administrator, a crash or a shutdown: SQLSTATE 57P01,
	 * 57P02, 57P03) while it ran.
	 * @param ex the failure
	 * @return whether the outcome is unknown
	 */
	static boolean mayHaveCommitted(SQLException ex) {
		String state = state(ex);
		return isConnectionFailure(ex) || (state != null && state.startsWith("57P"));
	}

	static @Nullable String state(SQLException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

	private static @Nullable String dictOf(SQLException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DictSqlException inDict) {
				return inDict.dict;
			}
		}
		return null;
	}

	/** The server's primary message, without its detail, hint or query. */
	private static String message(SQLException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PSQLException psql) {
				ServerErrorMessage server = psql.getServerErrorMessage();
				if (server != null && server.getMessage() != null) {
					return server.getMessage();
				}
				return String.valueOf(psql.getMessage());
			}
		}
		return String.valueOf(ex.getMessage());
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	/**
	 * A failure of a statement on a dict's table, with the dict's name; the SQLSTATE is
	 * the original's.
	 */
	static final class DictSqlException extends SQLException {

		private static final long serialVersionUID = 1L;

		final String dict;

		DictSqlException(SQLException ex, String dict) {
			super(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), ex);
			this.dict = dict;
		}

	}

}
