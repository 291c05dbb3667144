package io.persistentdict.engine;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * One row to upsert, as an operation of the write path: {@link GroupCommit} writes a run
 * of them to one table in one multi-row statement.
 *
 * @param table the table
 * @param key the encoded key
 * @param value the stored value
 * @param expiresAt when it expires, or 0 for never
 */
public record Upsert(TableStore table, Object key, byte[] value, long expiresAt) implements Op<Void> {

	/** The most rows one multi-row upsert statement writes. */
	public static final int MAX_ROWS = 32;

	/**
	 * The most bytes of keys and values a bulk write ({@code putAll}, an import) puts in
	 * one statement, whatever its row count: a statement of 5,000 rows of 256 KiB values
	 * would carry 1.2 GB, past what PostgreSQL takes in one message (1 GB), and would
	 * hold as much again in the driver's buffers. A row bigger than this goes alone.
	 */
	public static final int MAX_STATEMENT_BYTES = 32 * 1024 * 1024;

	/** Up to this many rows, a multi-row upsert has a statement for each count. */
	private static final int EXACT_ROWS = 8;

	/**
	 * How many of {@code rows} rows to write in the next multi-row upsert: all of them up
	 * to 8 (the runs group commit sees: one a writer), then 16 or 32. So a connection
	 * prepares at most 10 upsert statements for a table, whatever the batch sizes.
	 * @param rows the rows left, 1 or more
	 * @return the rows for one statement
	 */
	public static int statementRows(int rows) {
		return (rows <= EXACT_ROWS) ? rows : Integer.highestOneBit(Math.min(rows, MAX_ROWS));
	}

	/**
	 * Return the bytes this row puts in a statement: its key's and its value's.
	 * @return the bytes
	 */
	public long bytes() {
		// a row without a value is refused by the statement, not here
		byte[] v = this.value;
		return Totals.keyBytes(this.key) + ((v != null) ? v.length : 0);
	}

	/**
	 * Return whether this upsert may share a statement with another: only rows of the
	 * same table can.
	 * @param other the other upsert
	 * @return whether they go to the same table
	 */
	public boolean sameTable(Upsert other) {
		return this.table.name().equals(other.table.name());
	}

	@Override
	public @Nullable Void run(Session session) throws SQLException {
		this.table.upsert(session, this.key, this.value, this.expiresAt);
		return null;
	}

}
