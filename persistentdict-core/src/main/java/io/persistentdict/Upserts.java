package io.persistentdict;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Upsert;

/**
 * Rows gathered for a bulk upsert into one table: each chunk of {@link Upsert#MAX_ROWS}
 * goes in one statement, and the rest in as few as {@link Upsert#statementRows} allows.
 * Rows are applied in the order given, so a key given twice ends with its last value.
 */
final class Upserts {

	private final TableStore table;

	private final Session writer;

	private final List<Upsert> rows = new ArrayList<>(Upsert.MAX_ROWS);

	/**
	 * Start gathering rows.
	 * @param table the table
	 * @param writer the write session, in a transaction
	 */
	Upserts(TableStore table, Session writer) {
		this.table = table;
		this.writer = writer;
	}

	/**
	 * Add a row, writing a chunk when one is full.
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @throws SQLException on failure
	 */
	void add(Object key, byte[] value, long expiresAt) throws SQLException {
		this.rows.add(new Upsert(this.table, key, value, expiresAt));
		if (this.rows.size() == Upsert.MAX_ROWS) {
			this.table.upsert(this.writer, this.rows);
			this.rows.clear();
		}
	}

	/**
	 * Write the rows of the last, partial chunk.
	 * @throws SQLException on failure
	 */
	void finish() throws SQLException {
		int from = 0;
		while (from < this.rows.size()) {
			int count = Upsert.statementRows(this.rows.size() - from);
			this.table.upsert(this.writer, this.rows.subList(from, from + count));
			from += count;
		}
		this.rows.clear();
	}

}
