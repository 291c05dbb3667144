package io.persistentdict;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Upsert;
import org.jspecify.annotations.Nullable;

/**
 * Rows gathered for a bulk upsert into one table: each chunk of as many rows as the table
 * takes in one statement ({@link TableStore#bulkRows}, {@link Upsert#MAX_ROWS} by
 * default) goes in one statement, and the rest in as few as it allows; a chunk also ends
 * before its keys and values pass {@link Upsert#MAX_STATEMENT_BYTES}. Rows are applied in
 * the order given, so a key given twice ends with its last value.
 */
final class Upserts {

	private final TableStore table;

	private final Session writer;

	private final int chunk;

	private final List<Upsert> rows;

	private final TableStore.@Nullable BulkCount bulk;

	/** The bytes of the keys and values of the rows gathered. */
	private long gathered;

	private long written;

	private long bytes;

	/**
	 * Start gathering rows.
	 * @param table the table
	 * @param writer the write session, in a transaction
	 * @param expected about how many rows will come
	 * @throws SQLException on failure
	 */
	Upserts(TableStore table, Session writer, long expected) throws SQLException {
		this.table = table;
		this.writer = writer;
		this.chunk = table.bulkRows(Integer.MAX_VALUE);
		this.rows = new ArrayList<>(Math.min(this.chunk, 1024));
		this.bulk = table.bulk(writer, expected);
	}

	/**
	 * Add a row, writing a chunk when one is full.
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @throws SQLException on failure
	 */
	void add(Object key, byte[] value, long expiresAt) throws SQLException {
		Upsert row = new Upsert(this.table, key, value, expiresAt);
		long size = row.bytes();
		if (!this.rows.isEmpty() && this.gathered + size > Upsert.MAX_STATEMENT_BYTES) {
			writeGathered();
		}
		this.rows.add(row);
		this.gathered += size;
		if (this.bulk != null) {
			this.written++;
			this.bytes += size;
		}
		if (this.rows.size() == this.chunk) {
			writeGathered();
		}
	}

	/**
	 * Write the rows of the last, partial chunk, and count the rows if the table left
	 * that to the end.
	 * @throws SQLException on failure
	 */
	void finish() throws SQLException {
		writeGathered();
		if (this.bulk != null) {
			this.bulk.written(this.written, this.bytes);
		}
	}

	/** Write the rows gathered, in as few statements as the table allows. */
	private void writeGathered() throws SQLException {
		int from = 0;
		while (from < this.rows.size()) {
			int count = this.table.bulkRows(this.rows.size() - from);
			this.table.upsert(this.writer, this.rows.subList(from, from + count));
			from += count;
		}
		this.rows.clear();
		this.gathered = 0;
	}

}
