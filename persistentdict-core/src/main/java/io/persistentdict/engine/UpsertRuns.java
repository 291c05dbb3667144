package io.persistentdict.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs of plain upserts to one table in a group commit's batch, each written in one
 * multi-row statement.
 */
final class UpsertRuns {

	private UpsertRuns() {
	}

	/**
	 * Where the run of plain upserts to one table that starts at {@code from} ends: a run
	 * is written in one statement, of a row count {@link Upsert#statementRows} allows,
	 * and of at most {@link Upsert#MAX_STATEMENT_BYTES} unless its first row alone is
	 * bigger.
	 * @param batch the batch
	 * @param from the index of the run's first operation
	 * @return the index after its last; {@code from + 1} when the operation there is not
	 * an upsert
	 */
	static int end(List<PendingWrite<?>> batch, int from) {
		if (!(batch.get(from).op instanceof Upsert first)) {
			return from + 1;
		}
		int limit = Math.min(batch.size(), from + Upsert.MAX_ROWS);
		int end = from + 1;
		// a lone write (the common case) counts no bytes
		long bytes = (end < limit) ? first.bytes() : 0;
		while (end < limit && batch.get(end).op instanceof Upsert next && first.sameTable(next)) {
			bytes += next.bytes();
			if (bytes > Upsert.MAX_STATEMENT_BYTES) {
				break;
			}
			end++;
		}
		// one statement of a count the table prepares; the rest starts the next run
		return from + Upsert.statementRows(end - from);
	}

	/**
	 * Write a run of plain upserts in one statement. On SQLite at
	 * {@code synchronous=NORMAL} a statement costs about as much as the row it writes, so
	 * one statement for the puts of four writers, in place of four and a {@code BEGIN}
	 * and a {@code COMMIT}, lifted 4 writers from 160-179k to 218-240k puts/s (JMH,
	 * interleaved runs, 100k entries; one commit per put measured 138-150k/s in the same
	 * runs).
	 */
	static void write(WriteSession writer, List<PendingWrite<?>> batch, int from, int to) throws SQLException {
		List<Upsert> rows = new ArrayList<>(to - from);
		for (int i = from; i < to; i++) {
			rows.add((Upsert) batch.get(i).op);
		}
		rows.get(0).table().upsert(writer, rows);
	}

	/**
	 * Write a run of plain upserts in one statement, inside the transaction; if that
	 * fails, write them one at a time, so that only a row at fault fails.
	 */
	static void writeOrEach(WriteSession writer, EngineErrors errors, List<PendingWrite<?>> batch, int from, int to)
			throws SQLException {
		try {
			write(writer, batch, from, to);
			return;
		}
		catch (SQLException | RuntimeException ex) {
			if (!isRowFault(errors, ex) || (ex instanceof SQLException && writer.failedStatementSpoilsTransaction())) {
				// a transaction the failure spoiled is run again, one row at a time
				throw ex;
			}
			// a failed statement leaves the transaction as it was before it
		}
		for (int i = from; i < to; i++) {
			batch.get(i).run(writer, errors);
		}
	}

	/**
	 * Whether a failed multi-row statement may have failed for one of its rows (a
	 * constraint, a value too big, a value that could not be bound), so that writing the
	 * rows one at a time lets the others succeed. Anything else (busy, read-only, full,
	 * I/O) would fail each row alike.
	 */

	/**
	 * Whether a failed multi-row statement may have failed for one of its rows (a
	 * constraint, a value too big, a value that could not be bound), so that writing the
	 * rows one at a time lets the others succeed. Anything else (busy, read-only, full,
	 * I/O) would fail each row alike.
	 */
	static boolean isRowFault(EngineErrors errors, Exception ex) {
		return !(ex instanceof SQLException sql) || errors.classify(sql) == ErrorKind.ROW_FAULT;
	}

}
