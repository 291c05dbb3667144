package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;

/**
 * Reading rows of a dict's table: keys with the getter of their kind, and pages.
 */
final class SqliteRows {

	private SqliteRows() {
	}

	/**
	 * Read a key column with the getter of its kind: a generic {@code getObject} first
	 * asks SQLite for the column's type, one more native call a row.
	 * @param keys what the key column holds
	 * @param rs the result set
	 * @param column the column
	 * @return the key
	 * @throws SQLException on failure
	 */
	static Object key(KeyKind keys, ResultSet rs, int column) throws SQLException {
		return switch (keys) {
			case TEXT -> rs.getString(column);
			case INTEGER -> rs.getLong(column);
			case ANY -> rs.getObject(column);
		};
	}

	/**
	 * Read a page's rows, {@code (id,) k, v(, x)}, up to {@link Page#MAX_BYTES} of
	 * values.
	 * @param statement the bound statement
	 * @param keys what the key column holds
	 * @param limit the page size the statement asks for
	 * @param withExpiry whether the rows end with the expiry
	 * @param byId whether the rows start with the rowid, which is then where the page
	 * ends (otherwise the last key is)
	 * @return the page
	 * @throws SQLException on failure
	 */
	static Page page(PreparedStatement statement, KeyKind keys, int limit, boolean withExpiry, boolean byId)
			throws SQLException {
		int first = byId ? 2 : 1;
		List<Row> rows = new ArrayList<>(Math.min(limit, 64));
		Object last = null;
		long bytes = 0;
		try (ResultSet rs = statement.executeQuery()) {
			while (bytes < Page.MAX_BYTES && rs.next()) {
				Row row = new Row(key(keys, rs, first), rs.getBytes(first + 1), withExpiry ? rs.getLong(first + 2) : 0);
				last = byId ? (Object) rs.getLong(1) : row.key();
				rows.add(row);
				bytes += row.value().length;
			}
		}
		return new Page(rows, last, rows.size() == limit || bytes >= Page.MAX_BYTES);
	}

}
