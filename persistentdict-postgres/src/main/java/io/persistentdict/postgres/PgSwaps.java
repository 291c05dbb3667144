package io.persistentdict.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.persistentdict.engine.Row;
import org.jspecify.annotations.Nullable;

/**
 * The writes of one row that stand alone: a lone {@code set} ({@link #set}), and those
 * that read the row they change, each one statement that is exact on its own at
 * {@code READ COMMITTED}: {@code put} ({@link #exchange}), {@code putIfAbsent}
 * ({@link #offer}) and {@code remove} ({@link #take}). Outside a transaction each is its
 * own commit, with its own {@code NOTIFY} when it changed a row: one round trip. Inside
 * one (at {@code REPEATABLE READ}), a race with another writer is a serialization failure
 * instead, and the transaction runs again.
 */
final class PgSwaps {

	private final PgTable table;

	private final PgTableSql sql;

	private final PgKeys keys;

	private final String name;

	private final String where;

	/** The store's lease for bare lone sets. */
	private final PgQuietLease quiet;

	PgSwaps(PgTable table, PgTableSql sql, PgKeys keys, String name, String where, PgQuietLease quiet) {
		this.quiet = quiet;
		this.table = table;
		this.sql = sql;
		this.keys = keys;
		this.name = name;
		this.where = where;
	}

	/**
	 * A lone set, its own commit: bare under the store's lease ({@link PgQuietLease}), or
	 * with the listener check and {@code NOTIFY}, which renews the lease.
	 */
	void set(PgSession s, Object key, byte[] value, long expiresAt) throws SQLException {
		String until = this.quiet.current();
		if (until != null) {
			PreparedStatement statement = s.prepare(this.sql.upsertLeased);
			this.table.bindRow(statement, key, value, expiresAt);
			statement.setString(4, until);
			if (s.update(statement, this.name) > 0) {
				return;
			}
			// over by the server's clock: it wrote nothing
			this.quiet.over(until);
		}
		long sent = System.nanoTime();
		try (ResultSet rs = s.writeQuery(
				this.table.oneRow(s, this.sql.upsert, this.sql.upsertAnnounced, key, value, expiresAt), this.name)) {
			if (rs.next()) {
				this.quiet.checked(rs, 2, sent);
			}
		}
	}

	/**
	 * Upsert a row and return the one it replaced (see {@link PgTableSql#exchange}).
	 * @throws SQLException with SQLSTATE 40001, a conflict to run again, when another
	 * transaction inserted the key after the statement's snapshot (the statement changed
	 * nothing)
	 */
	@Nullable Row exchange(PgSession s, Object key, byte[] value, long expiresAt) throws SQLException {
		PreparedStatement statement = this.table.oneRow(s, this.sql.exchange, this.sql.exchangeAnnounced, key, value,
				expiresAt);
		try (ResultSet rs = s.writeQuery(statement, this.name)) {
			rs.next();
			if (rs.getLong(1) == 0) {
				throw raced("put");
			}
			this.table.wroteStatement();
			byte[] old = rs.getBytes(2);
			return (old != null) ? new Row(key, old, rs.getLong(3)) : null;
		}
	}

	/**
	 * Insert a row unless a live one is there, and return the row that was there (see
	 * {@link PgTableSql#offer}): the write happened unless that row is live.
	 * @throws SQLException with SQLSTATE 40001, a conflict to run again, when another
	 * transaction inserted the key after the statement's snapshot (the statement changed
	 * nothing)
	 */
	@Nullable Row offer(PgSession s, Object key, byte[] value, long expiresAt, long now) throws SQLException {
		boolean inline = s.announcesInline();
		PreparedStatement statement = s.prepare(inline ? this.sql.offerAnnounced : this.sql.offer);
		this.keys.bind(statement, 1, key, this.where);
		statement.setBytes(2, value);
		PgTable.setExpiry(statement, 3, expiresAt);
		statement.setLong(4, now);
		if (inline) {
			// the statement's NOTIFY, sent only when it writes
			s.wrote(this.table.tableName(), key);
			s.bindAnnouncement(statement, 5);
		}
		try (ResultSet rs = s.writeQuery(statement, this.name)) {
			rs.next();
			byte[] old = rs.getBytes(2);
			Row there = (old != null) ? new Row(key, old, rs.getLong(3)) : null;
			if (rs.getLong(1) == 0) {
				if (there == null) {
					throw raced("putIfAbsent");
				}
				return there;
			}
			if (!inline) {
				// a transaction announces only the keys it changed
				s.wrote(this.table.tableName(), key);
			}
			this.table.wroteStatement();
			return there;
		}
	}

	/**
	 * Delete a row and return it: the delete waits for a concurrent writer of the row and
	 * returns the version it deleted.
	 */
	@Nullable Row take(PgSession s, Object key) throws SQLException {
		boolean inline = s.announcesInline();
		PreparedStatement statement = s.prepare(inline ? this.sql.takeAnnounced : this.sql.take);
		this.keys.bind(statement, 1, key, this.where);
		if (inline) {
			// the statement's NOTIFY, sent only when it deletes a row
			s.wrote(this.table.tableName(), key);
			s.bindAnnouncement(statement, 2);
		}
		try (ResultSet rs = s.writeQuery(statement, this.name)) {
			if (!rs.next()) {
				return null;
			}
			if (!inline) {
				// a transaction announces only the keys it changed
				s.wrote(this.table.tableName(), key);
			}
			this.table.wroteStatement();
			return new Row(key, rs.getBytes(1), rs.getLong(2));
		}
	}

	private SQLException raced(String operation) {
		return new SQLException("Dict '" + this.name + "': another transaction inserted the key while a " + operation
				+ " read it; the " + operation + " wrote nothing and runs again", "40001");
	}

}
