package io.persistentdict.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * One row to delete that returns the row it deleted ({@code remove}), as an operation of
 * the write path: like {@link Exchange}, an engine that can do both in one atomic
 * statement ({@link TableStore#take}) may run it on its own, outside the shared
 * transaction that other writes wait for.
 *
 * @param table the table
 * @param key the encoded key
 */
public record Take(TableStore table, Object key) implements RowOp<Row> {

	@Override
	public @Nullable Row run(Session session) throws SQLException {
		return this.table.take(session, this.key);
	}

}
