package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The prepared statements of one store, kept open on each physical connection behind the
 * application's pool between borrows, so that a read does not create and close a
 * statement (pgjdbc's and the pool's objects, and pgjdbc's query cache) every time: that
 * was about a quarter of a {@code get}'s time in the client (JFR, 4 threads). The
 * connection itself is still borrowed for each unit of work and given back; only the
 * statements stay, as pgjdbc's own server-side prepared statements do.
 *
 * <p>
 * A physical connection is used by one borrower at a time, and the pool's hand-off orders
 * one borrower's use before the next, so each connection's statements need no lock. A
 * connection that breaks under a kept statement is still dropped by the pool: pgjdbc
 * closes a connection on a fatal error, and the pool finds it closed when it is given
 * back ({@code KeptStatementsTests}). Connections the pool has closed are forgotten when
 * a new one is seen. A data source whose connections cannot be unwrapped, or that shows
 * more than {@value #MAX_CONNECTIONS} open ones, gets statements prepared on each borrow,
 * as before.
 */
final class PgStatements {

	/** The most physical connections whose statements are kept. */
	static final int MAX_CONNECTIONS = 256;

	private final Map<Connection, Map<String, PreparedStatement>> kept = new ConcurrentHashMap<>();

	/**
	 * Return the physical connection behind a borrowed one, and the statements kept on
	 * it.
	 * @param borrowed the connection from the pool
	 * @return the physical connection's statements, or {@code null} when they cannot be
	 * kept
	 */
	@Nullable Kept of(Connection borrowed) {
		Connection physical;
		try {
			physical = borrowed.unwrap(Connection.class);
		}
		catch (SQLException | RuntimeException ex) {
			return null;
		}
		if (physical == null) {
			return null;
		}
		Map<String, PreparedStatement> statements = this.kept.get(physical);
		if (statements == null) {
			this.kept.keySet().removeIf(PgStatements::isClosed);
			if (this.kept.size() >= MAX_CONNECTIONS) {
				return null;
			}
			statements = new HashMap<>();
			this.kept.put(physical, statements);
		}
		return new Kept(physical, statements);
	}

	/**
	 * Forget every kept statement, on close of the store. They are not closed: a reader
	 * may be using one right now; pgjdbc frees their server-side statements once they are
	 * unreachable, or with the connection.
	 */
	void close() {
		this.kept.clear();
	}

	private static boolean isClosed(Connection connection) {
		try {
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

	/**
	 * A physical connection and its statements, for the borrower of the moment.
	 *
	 * @param connection the physical connection
	 * @param statements its statements by SQL text
	 */
	record Kept(Connection connection, Map<String, PreparedStatement> statements) {

		PreparedStatement prepare(String sql) throws SQLException {
			PreparedStatement statement = this.statements.get(sql);
			if (statement == null) {
				statement = this.connection.prepareStatement(sql);
				this.statements.put(sql, statement);
			}
			return statement;
		}

	}

}
