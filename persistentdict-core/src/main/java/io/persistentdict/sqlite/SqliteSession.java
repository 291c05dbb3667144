package io.persistentdict.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.WriteSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.core.CoreStatement;

/**
 * One physical SQLite connection and its prepared statements, each prepared once. The
 * statements are prepared on the unwrapped sqlite-jdbc connection, so the pool does not
 * close them when the connection goes back to it. Used by one thread at a time.
 */
final class SqliteSession implements WriteSession {

	private static final Logger logger = LoggerFactory.getLogger(SqliteSession.class);

	private final Connection connection;

	private final Map<String, PreparedStatement> statements = new HashMap<>();

	SqliteSession(Connection connection) {
		this.connection = connection;
	}

	/**
	 * Return the SQLite session behind a session the neutral layer hands back.
	 * @param session the session
	 * @return it, as this engine's own
	 */
	static SqliteSession of(Session session) {
		return (SqliteSession) session;
	}

	Connection connection() {
		return this.connection;
	}

	PreparedStatement prepare(String sql) throws SQLException {
		PreparedStatement statement = this.statements.get(sql);
		if (statement == null || isFinalized(statement)) {
			statement = this.connection.prepareStatement(sql);
			this.statements.put(sql, statement);
		}
		return statement;
	}

	/**
	 * Whether a statement has been prepared on this connection.
	 * @param sql the statement
	 * @return whether {@link #prepare} has been called with it
	 */
	boolean isPrepared(String sql) {
		return this.statements.containsKey(sql);
	}

	/**
	 * Run a statement that returns no rows, such as a pragma or {@code BEGIN}.
	 * @param sql the statement
	 * @throws SQLException on failure
	 */
	void execute(String sql) throws SQLException {
		prepare(sql).execute();
	}

	@Override
	public void begin() throws SQLException {
		try {
			execute("BEGIN IMMEDIATE");
		}
		catch (SQLException ex) {
			if (!String.valueOf(ex.getMessage()).contains("within a transaction")) {
				throw ex;
			}
			// an earlier failure left a transaction open: end it, then start afresh
			rollback();
			execute("BEGIN IMMEDIATE");
		}
	}

	@Override
	public void commit() throws SQLException {
		execute("COMMIT");
	}

	@Override
	public void rollback() {
		try {
			execute("ROLLBACK");
		}
		catch (SQLException ex) {
			// SQLite may already have rolled back (after SQLITE_FULL, for example), or
			// the cached statement was finalized: try once more on a fresh statement
			try (Statement statement = this.connection.createStatement()) {
				statement.execute("ROLLBACK");
			}
			catch (SQLException again) {
				logger.debug("Rollback failed; no transaction was open", again);
			}
		}
	}

	@Override
	public void savepoint() throws SQLException {
		execute("SAVEPOINT op");
	}

	@Override
	public void rollbackToSavepoint() throws SQLException {
		execute("ROLLBACK TO op");
	}

	@Override
	public void releaseSavepoint() throws SQLException {
		execute("RELEASE op");
	}

	/**
	 * sqlite-jdbc finalizes a statement that fails with an error such as
	 * {@code SQLITE_FULL}, {@code SQLITE_IOERR} or {@code SQLITE_CORRUPT}, yet its
	 * {@code isClosed()} stays false: look at the native pointer.
	 */
	private static boolean isFinalized(PreparedStatement statement) throws SQLException {
		if (statement instanceof CoreStatement core) {
			return core.pointer == null || core.pointer.isClosed();
		}
		return statement.isClosed();
	}

	void close() {
		this.statements.values().forEach(SqliteSession::closeQuietly);
		this.statements.clear();
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// closing; nothing to do
		}
	}

	private static void closeQuietly(PreparedStatement statement) {
		try {
			statement.close();
		}
		catch (SQLException ex) {
			// closing; nothing to do
		}
	}

}
