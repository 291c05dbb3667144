package io.persistentdict.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * One row to insert unless a live one is there ({@code putIfAbsent}), as an operation of
 * the write path: like {@link Exchange}, an engine that can do it in one atomic statement
 * ({@link TableStore#offer}) may run it on its own, outside the shared transaction that
 * other writes wait for.
 *
 * @param table the table
 * @param key the encoded key
 * @param value the stored value
 * @param expiresAt when it expires, or 0 for never
 * @param now the current time: a row that expired by then is replaced
 */
public record Offer(TableStore table, Object key, byte[] value, long expiresAt, long now) implements RowOp<Row> {

	@Override
	public @Nullable Row run(Session session) throws SQLException {
		return this.table.offer(session, this.key, this.value, this.expiresAt, this.now);
	}

}
