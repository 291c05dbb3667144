package io.persistentdict.engine;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The storage of one dict: encoded keys, value bytes and expiry. No generics here, and no
 * SQL above it. Writes run on the write session, inside the write transaction; reads run
 * on any session. Every method that takes {@code now} treats a row with
 * {@code expiresAt <= now} as absent where the method says it is live.
 *
 * <p>
 * <b>Totals and stamps.</b> Every table's {@link #totals} are exact and cost no count:
 * the engine keeps them in the same write transaction as every write that changes them,
 * whoever writes (this store, another process, a raw tool). A <em>stamped</em> table (one
 * of a bounded dict, {@link Engine#table} with {@code stamped}) also keeps an order stamp
 * on each row, set by every write and moved on by {@link #stamp}, for {@link #evict}; an
 * unstamped table keeps no stamp.
 */
public interface TableStore {

	/**
	 * Rows per sweep transaction: a few milliseconds, so readers and writers never wait
	 * long.
	 */
	int SWEEP_BATCH = 2000;

	/**
	 * Return the dict's qualified name.
	 * @return the name
	 */
	String name();

	/**
	 * Read a row, live or not; on a stamped table it carries its stamp.
	 * @param session the session
	 * @param key the encoded key
	 * @return the row, or {@code null}
	 * @throws SQLException on failure
	 */
	@Nullable Row get(Session session, Object key) throws SQLException;

	/**
	 * Insert or replace a row.
	 * @param writer the write session
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @throws SQLException on failure
	 */
	void upsert(Session writer, Object key, byte[] value, long expiresAt) throws SQLException;

	/**
	 * Insert or replace a row, and return the row it replaced, live or not. The default
	 * reads then writes, which is exact inside the write transaction; an engine may do
	 * both in one statement, atomic on its own.
	 * @param writer the write session
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @return the row it replaced, or {@code null}
	 * @throws SQLException on failure
	 */
	default @Nullable Row exchange(Session writer, Object key, byte[] value, long expiresAt) throws SQLException {
		Row old = get(writer, key);
		upsert(writer, key, value, expiresAt);
		return old;
	}

	/**
	 * Insert a row unless a live one is there, and return the row that was there, live or
	 * not: the write happened unless that row is live at {@code now}. The default reads
	 * then writes, which is exact inside the write transaction; an engine may do both in
	 * one statement, atomic on its own.
	 * @param writer the write session
	 * @param key the encoded key
	 * @param value the stored value
	 * @param expiresAt when it expires, or 0 for never
	 * @param now the current time
	 * @return the row that was there, or {@code null}
	 * @throws SQLException on failure
	 */
	default @Nullable Row offer(Session writer, Object key, byte[] value, long expiresAt, long now)
			throws SQLException {
		Row old = get(writer, key);
		if (old == null || !old.isLive(now)) {
			upsert(writer, key, value, expiresAt);
		}
		return old;
	}

	/**
	 * Delete a row, and return the row it deleted, live or not. The default reads then
	 * deletes, which is exact inside the write transaction; an engine may do both in one
	 * statement, atomic on its own.
	 * @param writer the write session
	 * @param key the encoded key
	 * @return the row it deleted, or {@code null}
	 * @throws SQLException on failure
	 */
	default @Nullable Row take(Session writer, Object key) throws SQLException {
		Row old = get(writer, key);
		if (old != null) {
			delete(writer, key);
		}
		return old;
	}

	/**
	 * How many rows a bulk write ({@code putAll}, an import) puts in its next multi-row
	 * upsert: by default {@link Upsert#statementRows}, so that a connection prepares few
	 * statements; an engine whose multi-row statement takes any count in one text may
	 * take more.
	 * @param rows the rows left, 1 or more
	 * @return the rows for the next statement, 1 to {@code rows}
	 */
	default int bulkRows(int rows) {
		return Upsert.statementRows(rows);
	}

	/**
	 * Get ready for a bulk write ({@code putAll}, an import) of about {@code rows} rows,
	 * in the writer's open transaction. An engine that counts row by row may count such a
	 * write once instead, when it is done; by default the rows are counted as they are
	 * written.
	 * @param writer the write session, in a transaction
	 * @param rows about how many rows will be written
	 * @return what to call once every row is written, before the transaction goes on, or
	 * {@code null} when there is nothing to call
	 * @throws SQLException on failure
	 */
	default @Nullable BulkCount bulk(Session writer, long rows) throws SQLException {
		return null;
	}

	/**
	 * The end of a bulk write whose rows an engine counts at once.
	 */
	@FunctionalInterface
	interface BulkCount {

		/**
		 * Count what the bulk write wrote.
		 * @param rows how many rows it wrote (a key written twice counts twice)
		 * @param bytes their keys' and values' bytes, as {@link Totals} counts them
		 * @throws SQLException on failure
		 */
		void written(long rows, long bytes) throws SQLException;

	}

	/**
	 * Upsert rows in one statement: atomic on its own, and applied in the order given, so
	 * a key given twice ends with its last value.
	 * @param writer the write session
	 * @param rows the rows, a count {@link Upsert#statementRows} returns
	 * @throws SQLException on failure, when no row of the statement is written
	 */
	void upsert(Session writer, List<Upsert> rows) throws SQLException;

	/**
	 * Delete a row.
	 * @param writer the write session
	 * @param key the encoded key
	 * @return how many rows were deleted, 0 or 1
	 * @throws SQLException on failure
	 */
	int delete(Session writer, Object key) throws SQLException;

	/**
	 * Move a live row's expiry on, unless it changed since it was read: a write, an
	 * explicit expiry or a {@code persist} after the read wins over a sliding refresh.
	 * @param writer the write session
	 * @param key the encoded key
	 * @param seen the expiry the read saw
	 * @param next the new expiry
	 * @param now the current time
	 * @return the number of rows changed, 0 or 1
	 * @throws SQLException on failure
	 */
	int refresh(Session writer, Object key, long seen, long next, long now) throws SQLException;

	/**
	 * Set a live row's expiry.
	 * @param writer the write session
	 * @param key the encoded key
	 * @param expiresAt the new expiry, or 0 for never
	 * @param now the current time
	 * @return the number of rows changed, 0 or 1
	 * @throws SQLException on failure
	 */
	int touch(Session writer, Object key, long expiresAt, long now) throws SQLException;

	/**
	 * Set every live row's expiry.
	 * @param writer the write session
	 * @param expiresAt the new expiry, or 0 for never
	 * @param now the current time
	 * @return the number of rows changed
	 * @throws SQLException on failure
	 */
	long restamp(Session writer, long expiresAt, long now) throws SQLException;

	/**
	 * Count the live rows: the {@linkplain #totals totals}' rows less the
	 * {@linkplain #expired expired} ones. Exact in the session's snapshot.
	 * @param session the session
	 * @param now the current time
	 * @return the count
	 * @throws SQLException on failure
	 */
	long count(Session session, long now) throws SQLException;

	/**
	 * Return the table's exact totals (rows, bytes, logical clock) as the session sees
	 * them: inside the write transaction, including its own uncommitted writes. Costs one
	 * row read, whatever the table's size.
	 * @param session the session
	 * @return the totals
	 * @throws SQLException on failure
	 */
	Totals totals(Session session) throws SQLException;

	/**
	 * Count the rows that have expired but are still stored, through the expiry index:
	 * the cost grows with that count, not with the table.
	 * @param session the session
	 * @param now the current time
	 * @return how many rows have {@code expiresAt <= now}
	 * @throws SQLException on failure
	 */
	long expired(Session session, long now) throws SQLException;

	/**
	 * Evict from a stamped table, in the write transaction: delete old rows by their
	 * stamps, the fewest that take at least {@code rows} rows and at least {@code bytes}
	 * bytes off the totals, never more than {@code limit}. The order may be approximate,
	 * and must be stated by the engine: SQLite samples (the oldest stamps of a window of
	 * at least 8 candidates a row, read from a cursor that walks the table), so that no
	 * index on the stamps costs every write. Rows without a stamp (written before the
	 * dict was bounded) count as the oldest. Expiry plays no part: sweep first to spare
	 * live rows. Fewer rows than asked may go when a call's sample holds fewer: call
	 * again.
	 * @param writer the write session
	 * @param rows the fewest rows to delete, 0 or more
	 * @param bytes the fewest bytes to free, 0 or more
	 * @param olderThan spare rows stamped at or after this (the keys an LRU dict read
	 * lately) while older ones are found, or {@code Long.MAX_VALUE} to spare none
	 * @param limit the most rows to delete in this call, 1 or more
	 * @return the encoded keys of the deleted rows, so that near caches can drop them
	 * @throws SQLException on failure
	 * @throws UnsupportedOperationException on a table that is not stamped
	 */
	List<Object> evict(Session writer, long rows, long bytes, long olderThan, int limit) throws SQLException;

	/**
	 * Record accesses on a stamped table, in the write transaction: give each of these
	 * keys that has a row the stamp a write would give it now (the current
	 * {@linkplain Totals#clock() clock}), changing neither its value, its expiry nor the
	 * totals' rows and bytes. Keys without a row are skipped.
	 * @param writer the write session
	 * @param keys the encoded keys, at most {@link #STAMP_BATCH}
	 * @return how many rows were stamped
	 * @throws SQLException on failure
	 * @throws UnsupportedOperationException on a table that is not stamped
	 */
	int stamp(Session writer, List<Object> keys) throws SQLException;

	/** The most keys one {@link #stamp} call takes. */
	int STAMP_BATCH = 256;

	/**
	 * Return whether no row is live.
	 * @param session the session
	 * @param now the current time
	 * @return whether the table holds no live row
	 * @throws SQLException on failure
	 */
	boolean isEmpty(Session session, long now) throws SQLException;

	/**
	 * Delete up to {@code limit} expired rows.
	 * @param writer the write session
	 * @param now the current time
	 * @param limit the most rows to delete
	 * @return how many were deleted
	 * @throws SQLException on failure
	 */
	int sweepBatch(Session writer, long now, int limit) throws SQLException;

	/**
	 * Delete every expired row, {@link #SWEEP_BATCH} rows to a transaction of its own.
	 * @param writes the write scheduler
	 * @param clock the clock that says what has expired
	 * @return how many rows were deleted
	 */
	default long sweep(WriteScheduler writes, InstantSource clock) {
		long total = 0;
		int deleted;
		do {
			long now = clock.millis();
			Integer n = writes.submit((w) -> sweepBatch(w, now, SWEEP_BATCH), true);
			deleted = (n != null) ? n : 0;
			total += deleted;
		}
		while (deleted >= SWEEP_BATCH);
		return total;
	}

	/**
	 * Delete every row.
	 * @param writer the write session
	 * @throws SQLException on failure
	 */
	void clear(Session writer) throws SQLException;

	/**
	 * Read one page of live rows, at most {@code limit} of them or about
	 * {@link Page#MAX_BYTES} of values.
	 * @param session the session
	 * @param after where the previous page ended ({@link Page#last()}), or {@code null}
	 * for the first page
	 * @param from the lowest key, inclusive, or {@code null}
	 * @param to the highest key, exclusive, or {@code null}
	 * @param now the current time
	 * @param limit the page size
	 * @param keyOrder whether the rows must come in key order; otherwise the engine picks
	 * its cheapest stable order
	 * @param withExpiry whether to read each row's expiry; without it rows carry 0
	 * @return the page
	 * @throws SQLException on failure
	 */
	Page page(Session session, @Nullable Object after, @Nullable Object from, @Nullable Object to, long now, int limit,
			boolean keyOrder, boolean withExpiry) throws SQLException;

}
