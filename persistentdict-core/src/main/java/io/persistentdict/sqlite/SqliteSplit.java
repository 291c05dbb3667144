package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

import io.persistentdict.engine.Upsert;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of a {@link io.persistentdict.Layout#SPLIT} table: a {@code WITHOUT ROWID}
 * table clustered on the key, {@code (k, v, p, x)}, whose row holds either the value
 * itself ({@code v}, up to {@link #INLINE_MAX} bytes) or the rowid ({@code p}) of the
 * value's row in a side rowid table {@code "
 *
<table>
 * #v" (id, b)}. A check constraint makes each row hold exactly one of the two. A bounded
 * dict's table also has the order stamp column {@code s} ({@link SqliteStamps}), which is
 * why the side pointer is {@code p}.
 *
 * <p>
 * A small value is read in one lookup in the key's b-tree, as in a {@code COMPACT} table;
 * a large value in two (the key, then the side row by rowid), as in a {@code ROWID}
 * table, whose key index leads to the row the same way. The main table stays small, so
 * its pages stay in the cache.
 *
 * <p>
 * Two triggers keep the side table consistent in the statement that changes the main
 * table, so that every delete (one key, a sweep, {@code clear}, a tool's raw SQL) and
 * every write that replaces a large value by another reference or by an inline value
 * deletes the side row it leaves behind: no side row is ever left without its main row.
 * Writes that only move the expiry ({@code touch}, {@code refresh}, {@code restamp}) do
 * not touch {@code p} and fire nothing.
 *
 * <p>
 * The dict's bytes in {@code pd_counts} include the side table's values: the main table's
 * count triggers add a key's bytes and the inline value's length (0 for a side value),
 * and three triggers on the side table add and take off its values' lengths
 * ({@link SqliteCounts#track}), so each row's bytes are counted once wherever its value
 * is, whatever order the triggers fire in.
 */
final class SqliteSplit {

	/**
	 * The largest value, in stored bytes, kept inline in the main table. SQLite's
	 * guidance is that {@code WITHOUT ROWID} suits rows under about 1/20 of a page (204
	 * bytes of the default 4096).
	 */
	static final int INLINE_MAX = 200;

	/** The expression that reads a row's value, inline or from the side table. */
	final String value;

	/**
	 * What reads select from: the main table joined to the side table, whose column names
	 * ({@code id}, {@code b}) differ from the main table's.
	 */
	final String rows;

	private final String main;

	private final String side;

	private final String table;

	/** A large value over a large value with the same expiry: one statement. */
	private final String rewrite;

	private final String insertSide;

	private final String link;

	private final String orphan;

	/**
	 * For a stamped table: moves the stamp on after {@link #rewrite}; else {@code null}.
	 */
	private final @Nullable String restamp;

	/**
	 * The SQL expression of a main row's stored value length, inline or in the side
	 * table.
	 */
	final String storedLength;

	SqliteSplit(String table, String quotedMain, boolean stamped) {
		this.table = table;
		this.main = quotedMain;
		this.side = SqliteTable.quote(sideTable(table));
		this.value = "COALESCE(v, b)";
		this.rows = quotedMain + " LEFT JOIN " + this.side + " ON id = p";
		this.storedLength = "coalesce(length(v), (SELECT length(b) FROM " + this.side + " WHERE id = p))";
		this.rewrite = "UPDATE " + this.side + " SET b = ? WHERE id = (SELECT p FROM " + this.main
				+ " WHERE k = ? AND x IS ?)";
		this.restamp = stamped ? "UPDATE " + this.main + " SET s = ? WHERE k = ?" : null;
		this.insertSide = "INSERT INTO " + this.side + " (b) VALUES (?)";
		this.link = stamped
				? "INSERT INTO " + this.main + " (k, p, x, s) VALUES (?, last_insert_rowid(), ?, ?)"
						+ " ON CONFLICT (k) DO UPDATE SET v = NULL, p = excluded.p, x = excluded.x, s = excluded.s"
				: "INSERT INTO " + this.main + " (k, p, x) VALUES (?, last_insert_rowid(), ?)"
						+ " ON CONFLICT (k) DO UPDATE SET v = NULL, p = excluded.p, x = excluded.x";
		this.orphan = "DELETE FROM " + this.side + " WHERE id = last_insert_rowid()";
	}

	/**
	 * Return the side table of a split table.
	 * @param table the main table's name
	 * @return the side table's name
	 */
	static String sideTable(String table) {
		return table + "#v";
	}

	static boolean isLarge(byte[] value) {
		return value != null && value.length > INLINE_MAX;
	}

	static boolean anyLarge(List<Upsert> rows) {
		for (Upsert row : rows) {
			if (isLarge(row.value())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Create the side and main tables and the side triggers.
	 * @param statement a statement of the write connection
	 * @param stamp the stamp column's definition ({@code ", s INTEGER"}), or empty
	 * @throws SQLException on failure
	 */
	void create(Statement statement, String stamp) throws SQLException {
		statement.execute("CREATE TABLE IF NOT EXISTS " + this.side + " (id INTEGER PRIMARY KEY, b BLOB NOT NULL)");
		statement.execute(
				"CREATE TABLE IF NOT EXISTS " + this.main + " (k NOT NULL PRIMARY KEY, v BLOB, p INTEGER, x INTEGER"
						+ stamp + ", CHECK ((v IS NULL) <> (p IS NULL)))" + " WITHOUT ROWID");
		statement.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(this.table + "#d") + " AFTER DELETE ON "
				+ this.main + " WHEN old.p IS NOT NULL BEGIN DELETE FROM " + this.side + " WHERE id = old.p; END");
		statement
			.execute("CREATE TRIGGER IF NOT EXISTS " + SqliteTable.quote(this.table + "#u") + " AFTER UPDATE OF p ON "
					+ this.main + " WHEN old.p IS NOT NULL AND old.p IS NOT new.p BEGIN DELETE FROM " + this.side
					+ " WHERE id = old.p; END");
	}

	/**
	 * Drop a table's side table, if it has one (dropping the main table drops its
	 * triggers).
	 * @param statement a statement of the write connection
	 * @param table the main table's name
	 * @throws SQLException on failure
	 */
	static void dropSide(Statement statement, String table) throws SQLException {
		statement.execute("DROP TABLE IF EXISTS " + SqliteTable.quote(sideTable(table)));
	}

	/**
	 * Write a value over {@link #INLINE_MAX} bytes. Over a large value with the same
	 * expiry (a plain put without a TTL, or the same explicit expiry) the side row is
	 * rewritten in place, in one statement, and the main row is not touched. Otherwise
	 * the value goes to a new side row, and the main row points to it; the trigger
	 * deletes the side row it pointed to before, if any.
	 * @param writer the write connection, in a transaction
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @throws SQLException on failure, when nothing is written
	 */
	void upsertLarge(SqliteSession writer, Object key, byte[] value, long expiresAt) throws SQLException {
		PreparedStatement rewrite = writer.prepare(this.rewrite);
		rewrite.setBytes(1, value);
		rewrite.setObject(2, key);
		bindExpiry(rewrite, 3, expiresAt);
		if (rewrite.executeUpdate() == 1) {
			if (this.restamp != null) {
				// the main row was not written: a bounded dict's stamp must move on all
				// the same
				PreparedStatement restamp = writer.prepare(this.restamp);
				restamp.setLong(1, SqliteStamps.next());
				restamp.setObject(2, key);
				restamp.executeUpdate();
			}
			return;
		}
		// bound before the side row is written: a key that cannot be bound fails here
		PreparedStatement link = writer.prepare(this.link);
		link.setObject(1, key);
		bindExpiry(link, 2, expiresAt);
		if (this.restamp != null) {
			link.setLong(3, SqliteStamps.next());
		}
		PreparedStatement insert = writer.prepare(this.insertSide);
		insert.setBytes(1, value);
		insert.executeUpdate();
		try {
			link.executeUpdate();
		}
		catch (SQLException | RuntimeException ex) {
			// the failed statement wrote nothing, so nothing points to the new side row
			try {
				writer.prepare(this.orphan).executeUpdate();
			}
			catch (SQLException again) {
				ex.addSuppressed(again);
			}
			throw ex;
		}
	}

	/**
	 * Write rows of which some are large, in the order given, all or none: in a
	 * savepoint, as one multi-row statement would.
	 * @param writer the write connection, in a transaction
	 * @param rows the rows
	 * @param table the table
	 * @throws SQLException on failure, when no row is written
	 */
	static void upsertEach(SqliteSession writer, List<Upsert> rows, SqliteTable table) throws SQLException {
		if (rows.size() == 1) {
			// a put on its own: all or nothing without a savepoint
			Upsert row = rows.get(0);
			table.upsert(writer, row.key(), row.value(), row.expiresAt());
			return;
		}
		writer.execute("SAVEPOINT split");
		try {
			for (Upsert row : rows) {
				table.upsert(writer, row.key(), row.value(), row.expiresAt());
			}
		}
		catch (SQLException | RuntimeException ex) {
			try {
				writer.execute("ROLLBACK TO split");
				writer.execute("RELEASE split");
			}
			catch (SQLException again) {
				ex.addSuppressed(again);
			}
			throw ex;
		}
		writer.execute("RELEASE split");
	}

	/**
	 * Delete every row: the side table first, so that the trigger finds nothing to delete
	 * for each main row.
	 * @param writer the write connection, in a transaction
	 * @throws SQLException on failure
	 */
	void clear(SqliteSession writer) throws SQLException {
		writer.prepare("DELETE FROM " + this.side).executeUpdate();
		writer.prepare("DELETE FROM " + this.main).executeUpdate();
	}

	private static void bindExpiry(PreparedStatement statement, int index, long expiresAt) throws SQLException {
		if (expiresAt == 0) {
			statement.setNull(index, Types.INTEGER);
		}
		else {
			statement.setLong(index, expiresAt);
		}
	}

}
