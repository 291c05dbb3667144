package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.Layout;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.Upsert;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one dict's table: encoded keys ({@code String}, {@code Long} or
 * {@code byte[]}), value bytes and {@code expires_at} in epoch milliseconds (0 or
 * {@code NULL} for never). No generics here, and no SQL above this class.
 *
 * <p>
 * The key column has no declared type, so each key keeps its storage class. A partial
 * index on {@code x} covers only rows that expire, so rows without a TTL pay nothing for
 * it, and the sweep finds expired rows without a scan.
 */
final class SqliteTable implements TableStore {

	private final String table;

	private final String quoted;

	private final String get;

	private final String upsert;

	/**
	 * {@link #upsert} for {@link Upsert#MAX_ROWS} rows at once: one statement a chunk
	 * instead of one a row cuts a bulk put's time per row from 1.84 to 1.02 µs (1M rows
	 * of 100 bytes, raw sqlite-jdbc, 16 rows or more a statement).
	 */
	private final String upsertMany;

	/**
	 * {@link #upsert} for 2 to {@link Upsert#MAX_ROWS} rows, by row count, each built
	 * when first used: group commit writes a run of plain puts with one of them. Only the
	 * counts {@link Upsert#statementRows} returns are used, so a connection prepares at
	 * most 9 of them for a table.
	 */
	private final String[] upsertRows = new String[Upsert.MAX_ROWS + 1];

	private final String delete;

	private final String touch;

	private final String any;

	private final String expired;

	private final String sweep;

	private final String restamp;

	private final String refresh;

	private final String clear;

	/** Pages in key order, by bounds: without the expiry column, then with it. */
	private final String[] pages = new String[8];

	private final String[] pagesWithExpiry = new String[8];

	private final KeyKind keys;

	/** Whether the table is clustered on the key: {@code COMPACT} or {@code SPLIT}. */
	private final boolean compact;

	private final boolean stamped;

	/** A stamped table's eviction and access stamps, or {@code null}. */
	private final @Nullable SqliteStamps stamps;

	private final boolean counted;

	/** The side table's SQL, for a {@code SPLIT} table; {@code null} otherwise. */
	/**
	 * The fewest rows for which dropping and creating two triggers, a schema change that
	 * makes every other connection prepare its statements again, is cheaper than the
	 * triggers' work (about 0.5 µs a row).
	 */
	static final int PAUSE_ROWS = 4096;

	private final @Nullable SqliteSplit split;

	/** {@code DO UPDATE} of an upsert in a split table also drops the side reference. */
	private final String unlink;

	private final String firstById;

	private final String nextById;

	private final String firstByIdWithExpiry;

	private final String nextByIdWithExpiry;

	/** Create the SQL of an unbounded table of a file that keeps counts. */
	SqliteTable(String qualifiedName, Layout layout, KeyKind keys) {
		this(qualifiedName, layout, keys, false, true);
	}

	/**
	 * Create the SQL of one table.
	 * @param qualifiedName the dict's qualified name, which is the table's name
	 * @param layout {@code COMPACT} for a {@code WITHOUT ROWID} table, {@code SPLIT} for
	 * one with large values in a side table ({@link SqliteSplit}); rowid tables iterate
	 * in rowid (insertion) order, a sequential scan, instead of key order
	 * @param keys what the key column holds, so that pages read it with the matching
	 * getter: a generic {@code getObject} first asks SQLite for the column's type, one
	 * more native call a row
	 * @param stamped whether its rows carry order stamps (a bounded dict): each write
	 * then sets {@code s} to {@link SqliteStamps#next()}, and {@link #evict} samples them
	 * @param counted whether the file keeps {@code pd_counts}; only an older file opened
	 * read-only does not, and then {@link #totals} counts by a scan
	 */
	SqliteTable(String qualifiedName, Layout layout, KeyKind keys, boolean stamped, boolean counted) {
		this.stamped = stamped;
		this.counted = counted;
		boolean compact = layout == Layout.COMPACT || layout == Layout.SPLIT;
		this.compact = compact;
		this.keys = keys;
		this.table = qualifiedName;
		this.quoted = quote(qualifiedName);
		this.split = (layout == Layout.SPLIT) ? new SqliteSplit(qualifiedName, this.quoted, stamped) : null;
		this.unlink = (this.split != null) ? ", p = NULL" : "";
		String value = (this.split != null) ? this.split.value : "v";
		String rows = (this.split != null) ? this.split.rows : this.quoted;
		String live = "(x IS NULL OR x > ?)";
		this.stamps = stamped ? new SqliteStamps(qualifiedName, compact, keys,
				(this.split != null) ? this.split.storedLength : "length(v)") : null;
		this.get = "SELECT " + value + ", x" + (stamped ? ", s" : "") + " FROM " + rows + " WHERE k = ?";
		this.upsert = upsertSql(1);
		this.upsertMany = upsertSql(Upsert.MAX_ROWS);
		this.delete = "DELETE FROM " + this.quoted + " WHERE k = ?";
		this.touch = "UPDATE " + this.quoted + " SET x = ? WHERE k = ? AND " + live;
		this.refresh = "UPDATE " + this.quoted + " SET x = ? WHERE k = ? AND x = ? AND x > ?";
		this.any = "SELECT 1 FROM " + this.quoted + " WHERE " + live + " LIMIT 1";
		this.expired = "SELECT COUNT(*) FROM " + this.quoted + " WHERE x <= ?";
		// by rowid in rowid tables: each deleted row is then found without a key lookup
		String id = compact ? "k" : "id";
		this.sweep = "DELETE FROM " + this.quoted + " WHERE " + id + " IN (SELECT " + id + " FROM " + this.quoted
				+ " WHERE x <= ? LIMIT ?)";
		this.restamp = "UPDATE " + this.quoted + " SET x = ? WHERE " + live;
		this.clear = "DELETE FROM " + this.quoted;
		this.firstById = "SELECT id, k, v FROM " + this.quoted + " WHERE " + live + " ORDER BY id LIMIT ?";
		this.nextById = "SELECT id, k, v FROM " + this.quoted + " WHERE " + live + " AND id > ? ORDER BY id LIMIT ?";
		this.firstByIdWithExpiry = this.firstById.replace("SELECT id, k, v ", "SELECT id, k, v, x ");
		this.nextByIdWithExpiry = this.nextById.replace("SELECT id, k, v ", "SELECT id, k, v, x ");
		for (int i = 0; i < this.pages.length; i++) {
			// a statement for each combination of bounds: each seeks in the index
			this.pages[i] = "SELECT k, " + value + " FROM " + rows + " WHERE " + live
					+ (((i & 1) != 0) ? " AND k > ?" : "") + (((i & 2) != 0) ? " AND k >= ?" : "")
					+ (((i & 4) != 0) ? " AND k < ?" : "") + " ORDER BY k LIMIT ?";
			this.pagesWithExpiry[i] = this.pages[i].replace("SELECT k, " + value + " ", "SELECT k, " + value + ", x ");
		}
	}

	/**
	 * Quote an identifier. Names are validated before they get here; quoting is the
	 * second guard.
	 * @param identifier the identifier
	 * @return it, in double quotes
	 */
	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	@Override
	public String name() {
		return this.table;
	}

	String quotedName() {
		return this.quoted;
	}

	void create(SqliteSession writer) throws SQLException {
		String stamp = this.stamped ? ", s INTEGER" : "";
		try (var statement = writer.connection().createStatement()) {
			if (this.split != null) {
				this.split.create(statement, stamp);
			}
			else {
				String columns = this.compact
						? "(k NOT NULL PRIMARY KEY, v BLOB NOT NULL, x INTEGER" + stamp + ") WITHOUT ROWID"
						: "(id INTEGER PRIMARY KEY, k NOT NULL UNIQUE, v BLOB NOT NULL, x INTEGER" + stamp + ")";
				statement.execute("CREATE TABLE IF NOT EXISTS " + this.quoted + " " + columns);
			}
			statement.execute("CREATE INDEX IF NOT EXISTS " + quote(this.table + "#x") + " ON " + this.quoted
					+ " (x) WHERE x IS NOT NULL");
		}
		SqliteCounts.track(writer, this.table, this.split != null);
		if (this.stamped) {
			SqliteStamps.index(writer, this.table, true);
		}
	}

	void drop(SqliteSession writer) throws SQLException {
		try (var statement = writer.connection().createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.quoted);
			SqliteSplit.dropSide(statement, this.table);
		}
		SqliteCounts.forget(writer, this.table);
	}

	@Override
	public @Nullable Row get(Session session, Object key) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare(this.get);
		statement.setObject(1, key);
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return null;
			}
			return new Row(key, rs.getBytes(1), rs.getLong(2), this.stamped ? rs.getLong(3) : 0);
		}
	}

	@Override
	public void upsert(Session session, Object key, byte[] value, long expiresAt) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		if (this.split != null && SqliteSplit.isLarge(value)) {
			this.split.upsertLarge(writer, key, value, expiresAt);
			return;
		}
		PreparedStatement statement = writer.prepare(this.upsert);
		bindRow(statement, 1, key, value, expiresAt);
		statement.executeUpdate();
	}

	/**
	 * A bulk write of {@link #PAUSE_ROWS} rows or more into an empty table is counted
	 * once, when it is done, instead of by the triggers ({@link SqliteCounts#pause}).
	 */
	@Override
	public @Nullable BulkCount bulk(Session writer, long rows) throws SQLException {
		SqliteSession w = SqliteSession.of(writer);
		if (!this.counted || rows < PAUSE_ROWS || !SqliteCounts.pause(w, this.table, this.split != null)) {
			return null;
		}
		return (written, bytes) -> SqliteCounts.resume(w, this.table, this.split != null, written, bytes);
	}

	String upsertSql(int rows) {
		if (this.stamped) {
			String row = "(?, ?, ?, ?)";
			return "INSERT INTO " + this.quoted + " (k, v, x, s) VALUES " + row + (", " + row).repeat(rows - 1)
					+ " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x, s = excluded.s" + this.unlink;
		}
		return "INSERT INTO " + this.quoted + " (k, v, x) VALUES (?, ?, ?)" + ", (?, ?, ?)".repeat(rows - 1)
				+ " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x" + this.unlink;
	}

	/**
	 * Upsert rows in one statement: atomic on its own, and applied in the order given, so
	 * a key given twice ends with its last value.
	 * @param writer the write connection
	 * @param rows the rows, a count {@link #statementRows} returns
	 * @throws SQLException on failure, when no row of the statement is written
	 */
	@Override
	public void upsert(Session session, List<Upsert> rows) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		if (this.split != null && SqliteSplit.anyLarge(rows)) {
			SqliteSplit.upsertEach(writer, rows, this);
			return;
		}
		PreparedStatement statement = upsertStatement(writer, rows.size());
		int parameter = 1;
		for (Upsert row : rows) {
			parameter = bindRow(statement, parameter, row.key(), row.value(), row.expiresAt());
		}
		statement.executeUpdate();
	}

	private PreparedStatement upsertStatement(SqliteSession writer, int rows) throws SQLException {
		if (rows == 1) {
			return writer.prepare(this.upsert);
		}
		if (rows == Upsert.MAX_ROWS) {
			return writer.prepare(this.upsertMany);
		}
		// built at most once for each count (a race builds an equal string)
		String sql = this.upsertRows[rows];
		if (sql == null) {
			sql = upsertSql(rows);
			this.upsertRows[rows] = sql;
		}
		return writer.prepare(sql);
	}

	private int bindRow(PreparedStatement statement, int first, Object key, byte[] value, long expiresAt)
			throws SQLException {
		statement.setObject(first, key);
		statement.setBytes(first + 1, value);
		if (expiresAt == 0) {
			statement.setNull(first + 2, java.sql.Types.INTEGER);
		}
		else {
			statement.setLong(first + 2, expiresAt);
		}
		if (this.stamped) {
			statement.setLong(first + 3, SqliteStamps.next());
			return first + 4;
		}
		return first + 3;
	}

	@Override
	public int delete(Session session, Object key) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(this.delete);
		statement.setObject(1, key);
		return statement.executeUpdate();
	}

	/**
	 * Move a live row's expiry on, unless it changed since it was read: a write, an
	 * explicit expiry or a {@code persist} after the read wins over a sliding refresh.
	 * @param writer the write connection, in a transaction
	 * @param key the encoded key
	 * @param seen the expiry the read saw
	 * @param next the new expiry
	 * @param now the current time
	 * @return the number of rows changed, 0 or 1
	 * @throws SQLException on failure
	 */
	@Override
	public int refresh(Session session, Object key, long seen, long next, long now) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(this.refresh);
		statement.setLong(1, next);
		statement.setObject(2, key);
		statement.setLong(3, seen);
		statement.setLong(4, now);
		return statement.executeUpdate();
	}

	@Override
	public int touch(Session session, Object key, long expiresAt, long now) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(this.touch);
		if (expiresAt == 0) {
			statement.setNull(1, java.sql.Types.INTEGER);
		}
		else {
			statement.setLong(1, expiresAt);
		}
		statement.setObject(2, key);
		statement.setLong(3, now);
		return statement.executeUpdate();
	}

	@Override
	public long restamp(Session session, long expiresAt, long now) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(this.restamp);
		if (expiresAt == 0) {
			statement.setNull(1, java.sql.Types.INTEGER);
		}
		else {
			statement.setLong(1, expiresAt);
		}
		statement.setLong(2, now);
		return statement.executeLargeUpdate();
	}

	/**
	 * Count live rows: the counted rows less the expired ones, found through the expiry
	 * index. No scan of the table.
	 */
	@Override
	public long count(Session session, long now) throws SQLException {
		return totals(session).rows() - expired(session, now);
	}

	@Override
	public Totals totals(Session session) throws SQLException {
		long[] counts = this.counted ? SqliteCounts.read(SqliteSession.of(session), this.table)
				: SqliteCounts.scan(SqliteSession.of(session), this.table);
		return new Totals(counts[0], counts[1], this.stamped ? SqliteStamps.now() : 0);
	}

	@Override
	public long expired(Session session, long now) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare(this.expired);
		statement.setLong(1, now);
		try (ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@Override
	public List<Object> evict(Session session, long rows, long bytes, long olderThan, int limit) throws SQLException {
		return stamps().evict(SqliteSession.of(session), rows, bytes, olderThan, limit);
	}

	@Override
	public int stamp(Session session, List<Object> keys) throws SQLException {
		return stamps().stamp(SqliteSession.of(session), keys);
	}

	private SqliteStamps stamps() {
		SqliteStamps stamps = this.stamps;
		if (stamps == null) {
			throw new UnsupportedOperationException(
					"Dict '" + this.table + "' keeps no order stamps: it is not bounded");
		}
		return stamps;
	}

	@Override
	public boolean isEmpty(Session session, long now) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare(this.any);
		statement.setLong(1, now);
		try (ResultSet rs = statement.executeQuery()) {
			return !rs.next();
		}
	}

	@Override
	public int sweepBatch(Session session, long now, int limit) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(this.sweep);
		statement.setLong(1, now);
		statement.setInt(2, limit);
		return statement.executeUpdate();
	}

	@Override
	public void clear(Session session) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		if (this.split != null) {
			this.split.clear(writer);
			return;
		}
		writer.prepare(this.clear).executeUpdate();
	}

	/**
	 * Read one page of live rows: in key order when bounded or compact, otherwise in
	 * rowid (insertion) order.
	 * @param connection the connection
	 * @param after where the previous page ended ({@link Page#last()}), or {@code null}
	 * for the first page
	 * @param from the lowest key, inclusive, or {@code null}
	 * @param to the highest key, exclusive, or {@code null}
	 * @param now the current time
	 * @param limit the page size
	 * @param keyOrder whether the rows must come in key order
	 * @param withExpiry whether to read each row's expiry; without it (for iterators,
	 * which filter on it in SQL and never look at it) rows carry 0, and each row costs
	 * one native call less
	 * @return the rows
	 * @throws SQLException on failure
	 */
	@Override
	public Page page(Session session, @Nullable Object after, @Nullable Object from, @Nullable Object to, long now,
			int limit, boolean keyOrder, boolean withExpiry) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		if (!keyOrder && !this.compact) {
			return pageById(connection, after, now, limit, withExpiry);
		}
		return pageByKey(connection, after, from, to, now, limit, withExpiry);
	}

	private Page pageById(SqliteSession connection, @Nullable Object after, long now, int limit, boolean withExpiry)
			throws SQLException {
		PreparedStatement statement = connection
			.prepare(withExpiry ? ((after != null) ? this.nextByIdWithExpiry : this.firstByIdWithExpiry)
					: ((after != null) ? this.nextById : this.firstById));
		int i = 1;
		statement.setLong(i++, now);
		if (after != null) {
			statement.setObject(i++, after);
		}
		statement.setInt(i, limit);
		return SqliteRows.page(statement, this.keys, limit, withExpiry, true);
	}

	private Page pageByKey(SqliteSession connection, @Nullable Object after, @Nullable Object from, @Nullable Object to,
			long now, int limit, boolean withExpiry) throws SQLException {
		int variant = ((after != null) ? 1 : 0) | ((from != null) ? 2 : 0) | ((to != null) ? 4 : 0);
		PreparedStatement statement = connection
			.prepare(withExpiry ? this.pagesWithExpiry[variant] : this.pages[variant]);
		int i = 1;
		statement.setLong(i++, now);
		if (after != null) {
			statement.setObject(i++, after);
		}
		if (from != null) {
			statement.setObject(i++, from);
		}
		if (to != null) {
			statement.setObject(i++, to);
		}
		statement.setInt(i, limit);
		return SqliteRows.page(statement, this.keys, limit, withExpiry, false);
	}

}
