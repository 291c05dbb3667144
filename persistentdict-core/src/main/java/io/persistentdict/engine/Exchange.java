package io.persistentdict.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * One row to upsert that returns the row it replaces ({@code put}), as an operation of
 * the write path: an engine that can do both in one atomic statement
 * ({@link TableStore#exchange}) may run it on its own, outside the shared transaction
 * that other writes wait for.
 *
 * @param table the table
 * @param key the encoded key
 * @param value the stored value
 * @param expiresAt when it expires, or 0 for never
 */
public record Exchange(TableStore table, Object key, byte[] value, long expiresAt) implements RowOp<Row> {

	@Override
	public @Nullable Row run(Session session) throws SQLException {
		return this.table.exchange(session, this.key, this.value, this.expiresAt);
	}

}
