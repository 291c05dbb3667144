package io.persistentdict.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an instance may listen on a schema's channel: a row of {@code pd_meta} (key
 * {@value #KEY}), raised by every listener before it trusts its near caches. Writers send
 * their {@code NOTIFY} only while the row exists, checked inside the statement that
 * writes (or, in a transaction, in the one that announces, just before the commit).
 *
 * <p>
 * Why: PostgreSQL serializes the commits of every transaction that notifies,
 * database-wide, for the whole of its commit, flush included. With 8 clients doing
 * one-row upserts with durable commits (pgbench, PostgreSQL 15, 2 cores) the dict's
 * statement ran 4,700-4,900/s with its {@code NOTIFY} and 13,500-13,700/s without (raw
 * upserts 17,600/s): instances that share a schema and use no near cache should not pay
 * for it.
 *
 * <p>
 * The race, and how it is closed: a writer whose statement's snapshot was taken before
 * the row was raised does not see it, and may commit after the listener started trusting
 * its caches. So a listener, after its {@code LISTEN} and raising the row, waits until
 * every lone writer's lease ({@link PgQuietLease}) has ended and every transaction of the
 * database that was running then has ended (their virtual transaction ids, in
 * {@code pg_locks}); only then is it ready. A writer that starts later sees the row. The
 * row stays when a listener stops (another may still listen); an administrator may delete
 * it once no instance uses a near cache. A listener checks it at every proof of its
 * connection, and finding it gone it raises it again, clears its near caches and waits
 * once more: the entries a write left unannounced in between go, within the probe
 * interval. A schema migrated from a version before 4 starts with the row, so instances
 * of an older version, which listen without raising it, keep hearing every writer.
 */
final class PgListeners {

	private static final Logger logger = LoggerFactory.getLogger(PgListeners.class);

	/** The key of the row in {@code pd_meta}. */
	static final String KEY = "listened";

	/** How long a listener waits for older transactions before it says so in the log. */
	static final long PATIENCE_MILLIS = 10_000;

	private final String raise;

	private final String check;

	private final String location;

	PgListeners(String schema, String location) {
		this.raise = raiseSql(schema);
		this.check = "SELECT " + listened(schema);
		this.location = location;
	}

	/**
	 * Return the SQL condition that an instance may listen on a schema's channel.
	 * @param schema the schema, validated
	 * @return a boolean expression
	 */
	static String listened(String schema) {
		return "EXISTS (SELECT 1 FROM " + PgSchema.qualified(schema, "pd_meta") + " WHERE key = '" + KEY + "')";
	}

	/**
	 * Return the statement that sends a transaction's one {@code NOTIFY}, its channel and
	 * payload bound, when an instance may listen.
	 * @param schema the schema, validated
	 * @return the statement
	 */
	static String announcement(String schema) {
		return "SELECT pg_notify(?, ?) WHERE " + listened(schema);
	}

	/**
	 * Return the statement that raises the row (a listener's, and the one migrated
	 * schemas start with); it does nothing when the row is there.
	 * @param schema the schema, validated
	 * @return the statement
	 */
	static String raiseSql(String schema) {
		return "INSERT INTO " + PgSchema.qualified(schema, "pd_meta") + " (key, value) VALUES ('" + KEY
				+ "', (extract(epoch FROM now()) * 1000)::bigint) ON CONFLICT (key) DO NOTHING";
	}

	/**
	 * Raise the row, then wait until every transaction that may have missed it has ended;
	 * called on the listening connection, in autocommit, after its {@code LISTEN}.
	 * @param connection the listening connection
	 * @param closed whether to stop waiting
	 * @throws SQLException on failure, or when the row is not there and this role may not
	 * raise it
	 */
	void raise(Connection connection, BooleanSupplier closed) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.raise)) {
			statement.executeUpdate();
		}
		catch (SQLException ex) {
			// a role without INSERT on pd_meta, a read-only server: enough if the row is
			// there already
			if (!isRaised(connection)) {
				throw new SQLException("store " + this.location + " cannot tell other instances that it listens ("
						+ ex.getMessage() + "): its near caches stay off until an instance that may write pd_meta"
						+ " has listened once", ex.getSQLState(), ex);
			}
		}
		awaitLeases(connection);
		awaitOlderTransactions(connection, closed);
	}

	/**
	 * Wait, on the server's clock, until every lease that a writer took before the row
	 * was there has ended ({@link PgQuietLease}): the row is committed by now, ours or
	 * another listener's, so a lease granted without it ends within
	 * {@value PgQuietLease#MILLIS} ms.
	 */
	private static void awaitLeases(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_sleep(?)")) {
			statement.setDouble(1, PgQuietLease.MILLIS / 1000.0);
			statement.execute();
		}
	}

	/**
	 * Return whether the row is there.
	 * @param connection a connection
	 * @return whether it is
	 * @throws SQLException on failure
	 */
	boolean isRaised(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.check);
				ResultSet rs = statement.executeQuery()) {
			return rs.next() && rs.getBoolean(1);
		}
	}

	/**
	 * Wait until every client transaction of this database that runs now has ended: any
	 * of them may have checked for the row before it was raised.
	 */
	private void awaitOlderTransactions(Connection connection, BooleanSupplier closed) throws SQLException {
		Array running;
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT coalesce(array_agg(l.virtualxid), '{}') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
						+ " WHERE l.locktype = 'virtualxid' AND l.granted AND l.pid <> pg_backend_pid()"
						+ " AND a.backend_type = 'client backend'"
						+ " AND a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			running = rs.getArray(1);
		}
		long start = System.nanoTime();
		boolean told = false;
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT array_agg(pid) FROM pg_locks WHERE locktype = 'virtualxid' AND granted AND virtualxid = ANY(?)")) {
			statement.setArray(1, running);
			while (!closed.getAsBoolean()) {
				Array left;
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					left = rs.getArray(1);
				}
				if (left == null) {
					return;
				}
				if (!told && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS)) {
					told = true;
					logger.warn(
							"Store {} waits for the transactions of backends {} to end before it serves from its"
									+ " near caches: they may have written without telling other instances",
							this.location, java.util.Arrays.toString((Object[]) left.getArray()));
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			}
		}
	}

}
