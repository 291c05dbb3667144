package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.TableStore;

/**
 * The order stamps of a bounded dict's table: the column {@code s}, set by every write to
 * the dict's clock ({@code pd_counts.c}, which the triggers move on by one a row
 * written), and its index, which lets eviction take the oldest rows without a scan. An
 * unbounded dict's table has no such index, so its writes pay nothing for it.
 */
final class SqliteStamps {

	private final String quoted;

	private final String clock;

	private final KeyKind keys;

	private final String evictFirst;

	private final String evictCandidates;

	private final String[] stampRows = new String[TableStore.STAMP_BATCH + 1];

	SqliteStamps(String qualifiedName, boolean compact, KeyKind keys) {
		this.quoted = SqliteTable.quote(qualifiedName);
		this.clock = clock(qualifiedName);
		this.keys = keys;
		// by rowid in rowid tables: each deleted row is then found without a key lookup
		String id = compact ? "k" : "id";
		this.evictFirst = "DELETE FROM " + this.quoted + " WHERE " + id + " IN (SELECT " + id + " FROM " + this.quoted
				+ " ORDER BY s LIMIT ?) RETURNING k";
		this.evictCandidates = "SELECT " + SqliteCounts.keyBytes("k") + " + length(v) FROM " + this.quoted
				+ " ORDER BY s LIMIT ?";
	}

	/**
	 * Return the SQL of a dict's clock: one read of its counts row a statement.
	 * @param qualifiedName the dict
	 * @return the scalar subquery
	 */
	static String clock(String qualifiedName) {
		return "(SELECT c FROM pd_counts WHERE d = '" + qualifiedName.replace("'", "''") + "')";
	}

	/**
	 * Give an existing table its stamps and their index, or take the index away. Existing
	 * rows keep a {@code NULL} stamp, which sorts first: they are evicted first, in the
	 * table's stable order.
	 * @param writer the write connection, in a transaction
	 * @param table the dict's qualified name
	 * @param on whether the table is to be stamped
	 * @throws SQLException on failure
	 */
	static void index(SqliteSession writer, String table, boolean on) throws SQLException {
		String quoted = SqliteTable.quote(table);
		SqliteCounts.track(writer, table, on);
		try (var statement = writer.connection().createStatement()) {
			if (!on) {
				statement.execute("DROP INDEX IF EXISTS " + SqliteTable.quote(table + "#s"));
				return;
			}
			boolean hasColumn;
			try (ResultSet rs = statement
				.executeQuery("SELECT 1 FROM pragma_table_info('" + table.replace("'", "''") + "') WHERE name = 's'")) {
				hasColumn = rs.next();
			}
			if (!hasColumn) {
				statement.execute("ALTER TABLE " + quoted + " ADD COLUMN s INTEGER");
			}
			statement
				.execute("CREATE INDEX IF NOT EXISTS " + SqliteTable.quote(table + "#s") + " ON " + quoted + " (s)");
		}
	}

	/**
	 * Evict in stamp order: with a byte target, read the candidates' sizes first (in the
	 * index's order) so as to delete no more rows than the target needs; then one
	 * {@code DELETE} of the first rows by the index.
	 */
	List<Object> evict(SqliteSession writer, long rows, long bytes, int limit) throws SQLException {
		// see TableStore#evict: the fewest rows, in stamp order, for both targets
		int n = (int) Math.min(rows, limit);
		if (bytes > 0) {
			PreparedStatement candidates = writer.prepare(this.evictCandidates);
			candidates.setInt(1, limit);
			int count = 0;
			long freed = 0;
			try (ResultSet rs = candidates.executeQuery()) {
				while ((count < rows || freed < bytes) && rs.next()) {
					freed += rs.getLong(1);
					count++;
				}
			}
			n = count;
		}
		if (n <= 0) {
			return List.of();
		}
		PreparedStatement statement = writer.prepare(this.evictFirst);
		statement.setInt(1, n);
		List<Object> keys = new ArrayList<>(n);
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				keys.add(SqliteTable.key(this.keys, rs, 1));
			}
		}
		return keys;
	}

	/**
	 * Give existing keys the stamp a write would give them now.
	 * @param writer the write connection, in a transaction
	 * @param keys the encoded keys, at most {@link TableStore#STAMP_BATCH}
	 * @return how many rows were stamped
	 * @throws SQLException on failure
	 */
	int stamp(SqliteSession writer, List<Object> keys) throws SQLException {
		if (keys.isEmpty()) {
			return 0;
		}
		int size = keys.size();
		String sql = this.stampRows[size];
		if (sql == null) {
			sql = "UPDATE " + this.quoted + " SET s = " + this.clock + " WHERE k IN (?" + ", ?".repeat(size - 1) + ")";
			this.stampRows[size] = sql;
		}
		PreparedStatement statement = writer.prepare(sql);
		for (int i = 0; i < size; i++) {
			statement.setObject(i + 1, keys.get(i));
		}
		return statement.executeUpdate();
	}

}
