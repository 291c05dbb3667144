package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Each dict's exact totals, in the table {@code pd_counts}: one row per dict with its
 * rows ({@code n}), their keys' and values' bytes ({@code b}) and its logical clock of
 * writes ({@code c}, reserved: 0). Three triggers on each dict's table keep the row in
 * the same transaction as every insert, value update and delete, whoever writes: this
 * store, another process, the command-line tool's raw access. So the totals cost one row
 * read, and no write path has to know whether an upsert inserted or replaced.
 *
 * <p>
 * A key counts its UTF-8 bytes (text) or its length (blob), and 8 bytes as an integer,
 * like {@link io.persistentdict.engine.Totals#keyBytes}. Expiry updates
 * ({@code UPDATE OF x}) and access stamps ({@code UPDATE OF s}) fire no trigger: they
 * change no total.
 */
final class SqliteCounts {

	static final String CREATE = "CREATE TABLE IF NOT EXISTS pd_counts (d TEXT NOT NULL PRIMARY KEY,"
			+ " n INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL) WITHOUT ROWID";

	static final String TOTALS = "SELECT n, b, c FROM pd_counts WHERE d = ?";

	private SqliteCounts() {
	}

	/**
	 * Return the SQL expression of a key's bytes.
	 * @param key the key column, such as {@code NEW.k}
	 * @return the expression
	 */
	static String keyBytes(String key) {
		return "CASE typeof(" + key + ") WHEN 'integer' THEN 8 ELSE octet_length(" + key + ") END";
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	/**
	 * Start counting a table: create its counts row, counted once from the table (instant
	 * for a new one), and the triggers that keep it (rewritten if they exist).
	 *
	 * <p>
	 * The update trigger fires only when a value's length changes: overwriting a value
	 * with one of the same size then writes no page of {@code pd_counts}, so a single put
	 * costs one page, as before the counts (measured: a counts page per commit costs a
	 * single-threaded put about a third). The clock column {@code c} is kept at 0: order
	 * stamps come from {@link SqliteStamps#next()}, which writes nothing.
	 *
	 * <p>
	 * A {@code SPLIT} table's value may be in its side table: the main table's triggers
	 * then count the inline length (0 for a side value) and the side table's triggers the
	 * side values' lengths, so the bytes are exact however a value moves.
	 * @param writer the write connection, in a transaction
	 * @param qualifiedName the dict's qualified name, which is the table's
	 * @param split whether it is a {@code SPLIT} table, with a side table
	 * @throws SQLException on failure
	 */
	static void track(SqliteSession writer, String qualifiedName, boolean split) throws SQLException {
		String table = SqliteTable.quote(qualifiedName);
		String d = literal(qualifiedName);
		String update = "UPDATE pd_counts SET ";
		String insert = SqliteTable.quote(qualifiedName + "#ins");
		String delete = SqliteTable.quote(qualifiedName + "#del");
		String change = SqliteTable.quote(qualifiedName + "#upd");
		String oldV = split ? "coalesce(length(OLD.v), 0)" : "length(OLD.v)";
		try (Statement statement = writer.connection().createStatement()) {
			// a table made outside a store (tests, tools) gets the counts table too
			statement.execute(CREATE);
			statement.execute("INSERT OR IGNORE INTO pd_counts (d, n, b, c) SELECT " + d + ", COUNT(*), "
					+ scannedBytes(qualifiedName, split) + ", 0 FROM " + table);
			statement.execute("DROP TRIGGER IF EXISTS " + insert);
			statement.execute("DROP TRIGGER IF EXISTS " + change);
			statement
				.execute("CREATE TRIGGER IF NOT EXISTS " + delete + " AFTER DELETE ON " + table + " BEGIN " + update
						+ "n = n - 1, b = b - (" + keyBytes("OLD.k") + ") - " + oldV + " WHERE d = " + d + "; END");
			countWrites(statement, qualifiedName, split);
		}
	}

	/** The bytes of a table's rows, counted by a scan, side values included. */
	private static String scannedBytes(String qualifiedName, boolean split) {
		String side = SqliteTable.quote(SqliteSplit.sideTable(qualifiedName));
		String sideBytes = split ? " + (SELECT coalesce(sum(length(b)), 0) FROM " + side + ")" : "";
		return "coalesce(sum(" + keyBytes("k") + " + coalesce(length(v), 0)), 0)" + sideBytes;
	}

	/**
	 * Create the triggers that count inserts and value updates: the ones a bulk write
	 * into an empty table {@linkplain #pause pauses}.
	 */
	private static void countWrites(Statement statement, String qualifiedName, boolean split) throws SQLException {
		String table = SqliteTable.quote(qualifiedName);
		String d = literal(qualifiedName);
		String update = "UPDATE pd_counts SET ";
		// a split row whose value is in the side table has v NULL: its length is counted
		// by the side table's triggers
		String newV = split ? "coalesce(length(NEW.v), 0)" : "length(NEW.v)";
		String oldV = split ? "coalesce(length(OLD.v), 0)" : "length(OLD.v)";
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(qualifiedName + "#ins")
				+ " AFTER INSERT ON " + table + " BEGIN " + update + "n = n + 1, b = b + " + keyBytes("NEW.k") + " + "
				+ newV + " WHERE d = " + d + "; END");
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(qualifiedName + "#upd")
				+ " AFTER UPDATE OF v ON " + table + " WHEN " + newV + " <> " + oldV + " BEGIN " + update + "b = b - "
				+ oldV + " + " + newV + " WHERE d = " + d + "; END");
		if (split) {
			trackSide(statement, qualifiedName, SqliteTable.quote(SqliteSplit.sideTable(qualifiedName)), d);
		}
	}

	/**
	 * Stop counting row by row for a bulk write into an empty table, in the writer's open
	 * transaction: drop the insert and update triggers, which cost SQLite's own insert of
	 * a row about two thirds more (sqlite3, a million 100-byte rows in one transaction:
	 * 0.75 s bare, 1.24 s with the insert trigger; a trigger that only tests a condition
	 * still 1.05 s). SQLite has no statement triggers, and no switch that turns triggers
	 * off for one connection through sqlite-jdbc, so they go for the transaction and
	 * {@link #resume} creates them again before it commits. The schema change is part of
	 * the transaction: other connections never see the table without them, and a rollback
	 * restores them with the counts; each other connection prepares its statements again
	 * once, after the commit.
	 * @param writer the write connection, in a transaction
	 * @param qualifiedName the dict's qualified name
	 * @param split whether it is a {@code SPLIT} table
	 * @return whether the triggers were dropped: only when the table is empty
	 * @throws SQLException on failure
	 */
	static boolean pause(SqliteSession writer, String qualifiedName, boolean split) throws SQLException {
		long[] counts = read(writer, qualifiedName);
		if (counts[0] != 0) {
			return false;
		}
		try (Statement statement = writer.connection().createStatement()) {
			for (String trigger : split ? List.of("#ins", "#upd", "#vins", "#vupd") : List.of("#ins", "#upd")) {
				statement.execute("DROP TRIGGER IF EXISTS " + SqliteTable.quote(qualifiedName + trigger));
			}
		}
		return true;
	}

	/**
	 * Count a bulk write into a table that was empty, and count row by row again.
	 * {@code COUNT(*)} (about 35 ms for a million rows) tells whether every row was new:
	 * then the bytes are the ones written; when a key came twice, a scan counts them.
	 * @param writer the write connection, in the transaction of {@link #pause}
	 * @param qualifiedName the dict's qualified name
	 * @param split whether it is a {@code SPLIT} table
	 * @param rows the rows written since the pause
	 * @param bytes their keys' and values' bytes, as
	 * {@link io.persistentdict.engine.Totals} counts them
	 * @throws SQLException on failure
	 */
	static void resume(SqliteSession writer, String qualifiedName, boolean split, long rows, long bytes)
			throws SQLException {
		String table = SqliteTable.quote(qualifiedName);
		try (Statement statement = writer.connection().createStatement()) {
			long n;
			try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
				rs.next();
				n = rs.getLong(1);
			}
			long b = bytes;
			if (n != rows) {
				try (ResultSet rs = statement
					.executeQuery("SELECT " + scannedBytes(qualifiedName, split) + " FROM " + table)) {
					rs.next();
					b = rs.getLong(1);
				}
			}
			PreparedStatement counts = writer.prepare("UPDATE pd_counts SET n = ?, b = ? WHERE d = ?");
			counts.setLong(1, n);
			counts.setLong(2, b);
			counts.setString(3, qualifiedName);
			counts.executeUpdate();
			countWrites(statement, qualifiedName, split);
		}
	}

	/**
	 * The triggers that count a split table's side values: a side row's insert, delete
	 * and rewrite change the dict's bytes, never its rows.
	 */
	private static void trackSide(Statement statement, String qualifiedName, String side, String d)
			throws SQLException {
		String update = "UPDATE pd_counts SET b = b ";
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(qualifiedName + "#vins")
				+ " AFTER INSERT ON " + side + " BEGIN " + update + "+ length(NEW.b) WHERE d = " + d + "; END");
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(qualifiedName + "#vdel")
				+ " AFTER DELETE ON " + side + " BEGIN " + update + "- length(OLD.b) WHERE d = " + d + "; END");
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(qualifiedName + "#vupd")
				+ " AFTER UPDATE OF b ON " + side + " WHEN length(NEW.b) <> length(OLD.b) BEGIN " + update
				+ "- length(OLD.b) + length(NEW.b) WHERE d = " + d + "; END");
	}

	/**
	 * Stop counting a dropped table (its triggers went with it).
	 * @param writer the write connection, in a transaction
	 * @param qualifiedName the dict's qualified name
	 * @throws SQLException on failure
	 */
	static void forget(SqliteSession writer, String qualifiedName) throws SQLException {
		PreparedStatement statement = writer.prepare("DELETE FROM pd_counts WHERE d = ?");
		statement.setString(1, qualifiedName);
		statement.executeUpdate();
	}

	/**
	 * Count one dict by a scan, for a file that keeps no counts (an older one,
	 * read-only).
	 * @param session the connection
	 * @param qualifiedName the dict
	 * @return rows, bytes and a clock of 0
	 * @throws SQLException on failure
	 */
	static long[] scan(SqliteSession session, String qualifiedName) throws SQLException {
		PreparedStatement statement = session.prepare("SELECT COUNT(*), coalesce(sum(" + keyBytes("k")
				+ " + length(v)), 0) FROM " + SqliteTable.quote(qualifiedName));
		try (ResultSet rs = statement.executeQuery()) {
			rs.next();
			return new long[] { rs.getLong(1), rs.getLong(2), 0 };
		}
	}

	/**
	 * Read one dict's counts row.
	 * @param session the connection
	 * @param qualifiedName the dict
	 * @return rows, bytes and clock; zeros for a table without a row (one that has no
	 * table)
	 * @throws SQLException on failure
	 */
	static long[] read(SqliteSession session, String qualifiedName) throws SQLException {
		PreparedStatement statement = session.prepare(TOTALS);
		statement.setString(1, qualifiedName);
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return new long[3];
			}
			return new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) };
		}
	}

}
