package io.persistentdict;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.sqlite.core.CoreStatement;

/**
 * One physical SQLite connection and its prepared statements, each prepared once. The
 * statements are prepared on the unwrapped sqlite-jdbc connection, so the pool does not
 * close them when the connection goes back to it. Used by one thread at a time.
 */
final class ConnState {

	private final Connection connection;

	private final Map<String, PreparedStatement> statements = new HashMap<>();

	ConnState(Connection connection) {
		this.connection = connection;
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
		this.statements.values().forEach(ConnState::closeQuietly);
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
