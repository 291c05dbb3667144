package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.TableStore;
import org.jspecify.annotations.Nullable;

/**
 * The order stamps of a bounded dict's table: the column {@code s}, unindexed, which
 * every write sets to {@link #next()} and an LRU access moves on. No index: a write pays
 * for no second b-tree, and eviction samples instead. It reads a window of rows from a
 * cursor that walks the table in its stored order (rowid or key), wrapping round, and
 * deletes the oldest stamps among them (rows without a stamp first): at least 8
 * candidates for each row it deletes, as Redis samples. The cursor moves to the last row
 * deleted, so an insert-only dict is evicted exactly in write order, and a dict whose
 * keys are rewritten gets the oldest of each window, close to exact order. The rows
 * deleted lie in a few neighbouring pages, which keeps the pages an eviction writes few.
 */
final class SqliteStamps {

	/** The most rows one window reads. */
	private static final int MAX_WINDOW = 8192;

	/** Candidates a window reads for each row it must delete. */
	private static final int SAMPLES = 8;

	private static final AtomicLong CLOCK = new AtomicLong();

	private final String quoted;

	private final KeyKind keys;

	private final boolean compact;

	private final String after;

	private final String from;

	private final String through;

	/** The eviction's delete, up to its list of positions. */
	private final String deleteIn;

	private final String[] stampRows = new String[TableStore.STAMP_BATCH + 1];

	/** The most rows one eviction statement deletes by position. */
	private static final int DELETE_ROWS = 128;

	private final String[] deleteRows = new String[DELETE_ROWS + 1];

	/** Where the last eviction ended, in stored order; {@code null} for the start. */
	private volatile @Nullable Object cursor;

	/**
	 * Create the eviction SQL of a stamped table.
	 * @param qualifiedName the dict's qualified name
	 * @param compact whether the table is clustered on the key
	 * @param keys what the key column holds
	 * @param valueLength the SQL expression of a row's stored value length, as counted in
	 * {@code pd_counts}
	 */
	SqliteStamps(String qualifiedName, boolean compact, KeyKind keys, String valueLength) {
		this.quoted = SqliteTable.quote(qualifiedName);
		this.keys = keys;
		this.compact = compact;
		// by rowid in rowid tables: each deleted row is then found without a key lookup
		String id = compact ? "k" : "id";
		// the keys come back from the delete (RETURNING k), only for the rows it deletes
		String columns = "SELECT " + id + ", s, " + SqliteCounts.keyBytes("k") + " + " + valueLength + " FROM "
				+ this.quoted;
		this.after = columns + " WHERE " + id + " > ? ORDER BY " + id + " LIMIT ?";
		this.from = columns + " ORDER BY " + id + " LIMIT ?";
		this.through = columns + " WHERE " + id + " <= ? ORDER BY " + id + " LIMIT ?";
		this.deleteIn = "DELETE FROM " + this.quoted + " WHERE " + id + " IN (?";
	}

	/**
	 * Return the next stamp: wall-clock microseconds, moved on by one whenever two would
	 * be equal, so stamps of one JVM always grow and those of processes on one machine
	 * follow the time they were written.
	 * @return the stamp
	 */
	static long next() {
		long now = System.currentTimeMillis() * 1000;
		return CLOCK.accumulateAndGet(now, (last, wall) -> Math.max(last + 1, wall));
	}

	/**
	 * Return where the stamps stand: a stamp taken later is greater.
	 * @return the clock
	 */
	static long now() {
		return Math.max(CLOCK.get(), System.currentTimeMillis() * 1000);
	}

	/**
	 * Give an existing table its stamp column (rows keep a {@code NULL} stamp, which
	 * counts as the oldest), or, when it is unbounded again, leave the column unread.
	 * @param writer the write connection, in a transaction
	 * @param table the dict's qualified name
	 * @param on whether the table is to be stamped
	 * @throws SQLException on failure
	 */
	static void index(SqliteSession writer, String table, boolean on) throws SQLException {
		String quoted = SqliteTable.quote(table);
		try (var statement = writer.connection().createStatement()) {
			if (!on) {
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
			// unindexed: eviction samples, so writes pay for no second b-tree (an index
			// an
			// earlier build of this schema made goes)
			statement.execute("DROP INDEX IF EXISTS " + SqliteTable.quote(table + "#s"));
		}
	}

	/** A row read as a candidate for eviction. */
	private record Candidate(Object position, long stamp, long bytes, int order) {
	}

	/**
	 * Evict the oldest stamps of a window read from the cursor (see the class comment):
	 * the fewest that take at least {@code rows} rows and {@code bytes} bytes off, at
	 * most {@code limit}; fewer if the window holds fewer rows (the caller asks again).
	 */
	List<Object> evict(SqliteSession writer, long rows, long bytes, long olderThan, int limit) throws SQLException {
		long wanted = Math.max(1, Math.min(rows, limit));
		int window = (int) Math.min(MAX_WINDOW, Math.max(64, SAMPLES * wanted));
		List<Candidate> candidates = new ArrayList<>();
		Object start = this.cursor;
		// windows on from the cursor until enough rows older than olderThan are seen, or
		// the table has been read round once
		long old = 0;
		while (true) {
			List<Candidate> next = window(writer, window, candidates.size());
			candidates.addAll(next);
			for (Candidate candidate : next) {
				old += (candidate.stamp() < olderThan) ? 1 : 0;
			}
			if (old >= wanted || next.size() < window || candidates.size() >= MAX_WINDOW
					|| olderThan == Long.MAX_VALUE) {
				break;
			}
			this.cursor = next.get(next.size() - 1).position();
			if (this.cursor.equals(start)) {
				break;
			}
		}
		this.cursor = start;
		List<Candidate> oldest = new ArrayList<>(candidates);
		// the old ones first, oldest first; the recently read only if they must
		oldest.sort(Comparator.comparing((Candidate c) -> c.stamp() >= olderThan)
			.thenComparingLong(Candidate::stamp)
			.thenComparingInt(Candidate::order));
		List<Object> chosen = new ArrayList<>();
		long freed = 0;
		int last = -1;
		Object lastPosition = null;
		for (Candidate candidate : oldest) {
			if ((chosen.size() >= rows && freed >= bytes) || chosen.size() >= limit) {
				break;
			}
			chosen.add(candidate.position());
			freed += candidate.bytes();
			if (candidate.order() > last) {
				last = candidate.order();
				lastPosition = candidate.position();
			}
		}
		if (lastPosition != null) {
			this.cursor = lastPosition;
		}
		return delete(writer, chosen);
	}

	/**
	 * Delete rows by position, {@value #DELETE_ROWS} a statement, and return the keys
	 * deleted.
	 */
	private List<Object> delete(SqliteSession writer, List<Object> positions) throws SQLException {
		List<Object> evicted = new ArrayList<>(positions.size());
		for (int from = 0; from < positions.size(); from += DELETE_ROWS) {
			int size = Math.min(DELETE_ROWS, positions.size() - from);
			String sql = this.deleteRows[size];
			if (sql == null) {
				sql = this.deleteIn + ", ?".repeat(size - 1) + ") RETURNING k";
				this.deleteRows[size] = sql;
			}
			PreparedStatement delete = writer.prepare(sql);
			for (int i = 0; i < size; i++) {
				delete.setObject(i + 1, positions.get(from + i));
			}
			try (ResultSet rs = delete.executeQuery()) {
				while (rs.next()) {
					evicted.add(SqliteRows.key(this.keys, rs, 1));
				}
			}
		}
		return evicted;
	}

	/**
	 * Read up to {@code size} rows after the cursor, wrapping round to the start once.
	 */
	private List<Candidate> window(SqliteSession writer, int size, int firstOrder) throws SQLException {
		List<Candidate> candidates = new ArrayList<>(size);
		Object start = this.cursor;
		if (start != null) {
			PreparedStatement statement = writer.prepare(this.after);
			statement.setObject(1, start);
			statement.setInt(2, size);
			read(statement, candidates, firstOrder);
		}
		if (candidates.size() < size) {
			// wrap round: from the start, up to where this window began
			PreparedStatement statement;
			if (start == null) {
				statement = writer.prepare(this.from);
				statement.setInt(1, size);
			}
			else {
				statement = writer.prepare(this.through);
				statement.setObject(1, start);
				statement.setInt(2, size - candidates.size());
			}
			read(statement, candidates, firstOrder);
		}
		return candidates;
	}

	private void read(PreparedStatement statement, List<Candidate> candidates, int order) throws SQLException {
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				Object position = this.compact ? SqliteRows.key(this.keys, rs, 1) : (Object) rs.getLong(1);
				long stamp = rs.getLong(2);
				if (rs.wasNull()) {
					stamp = Long.MIN_VALUE;
				}
				candidates.add(new Candidate(position, stamp, rs.getLong(3), order + candidates.size()));
			}
		}
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
			sql = "UPDATE " + this.quoted + " SET s = ? WHERE k IN (?" + ", ?".repeat(size - 1) + ")";
			this.stampRows[size] = sql;
		}
		PreparedStatement statement = writer.prepare(sql);
		statement.setLong(1, next());
		for (int i = 0; i < size; i++) {
			statement.setObject(i + 2, keys.get(i));
		}
		return statement.executeUpdate();
	}

}
