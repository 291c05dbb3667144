package io.persistentdict.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.Upsert;
import io.persistentdict.engine.WriteScheduler;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one dict's table: {@code k} (see {@link PgKeys}), {@code v bytea} and
 * {@code x bigint}, the expiry in epoch milliseconds ({@code NULL} for never), with a
 * partial index on {@code x} for the rows that expire. Every statement's text is constant
 * for the table, and every key and value is a bound parameter.
 */
final class PgTable implements TableStore {

	/** The first key of the advisory locks that elect a dict's sweeper. */
	static final int SWEEP_LOCK = 0x70645357;

	/**
	 * The most rows a bulk write ({@code putAll}) puts in one {@code unnest} upsert: 100k
	 * rows take 20 round trips, not 3,125 of 32 rows.
	 */
	static final int BULK_ROWS = 5000;

	private final String name;

	/** The dict and its store, for messages about keys. */
	private final String where;

	private final String table;

	private final PgKeys keys;

	private final PgCounts counts;

	/** The stamps and eviction of a bounded dict's table, or {@code null}. */
	private final @Nullable PgStamps stamps;

	/** The text of its statements. */
	private final PgTableSql sql;

	private final AtomicInteger writes = new AtomicInteger();

	/** Its one-statement reads-and-writes. */
	private final PgSwaps swaps;

	/**
	 * Create the SQL of one table.
	 * @param name the dict's qualified name, for messages
	 * @param table the table's generated name, unquoted
	 * @param schema the schema, unquoted
	 * @param keys the kind of its keys
	 * @param location the store, for messages
	 * @param counts the schema's counts
	 * @param quiet the store's lease for bare lone sets
	 * @param stamped whether its rows carry order stamps (see {@link PgStamps})
	 */
	PgTable(String name, String schema, String table, PgKeys keys, String location, PgCounts counts, PgQuietLease quiet,
			boolean stamped) {
		this.name = name;
		this.where = "dict '" + name + "' in store " + location;
		this.table = table;
		this.keys = keys;
		this.counts = counts;
		this.stamps = stamped ? new PgStamps(name, schema, table, keys) : null;
		this.sql = new PgTableSql(schema, table, keys, stamped);
		this.swaps = new PgSwaps(this, this.sql, keys, name, this.where, quiet);
	}

	@Override
	public String name() {
		return this.name;
	}

	String tableName() {
		return this.table;
	}

	@Override
	public @Nullable Row get(Session session, Object key) throws SQLException {
		// a key that no column of this kind can hold is not there, as on SQLite
		if (this.keys.rankAgainst(key) != 0 || !this.keys.storable(key)) {
			return null;
		}
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.get);
		this.keys.bind(statement, 1, key, this.where);
		try (ResultSet rs = s.query(statement, this.name)) {
			if (!rs.next()) {
				return null;
			}
			return new Row(key, rs.getBytes(1), rs.getLong(2), (this.stamps != null) ? rs.getLong(3) : 0);
		}
	}

	@Override
	public void upsert(Session session, Object key, byte[] value, long expiresAt) throws SQLException {
		PgSession s = PgSession.of(session);
		if (s.announcesInline()) {
			this.swaps.set(s, key, value, expiresAt);
		}
		else {
			s.write(oneRow(s, this.sql.upsert, this.sql.upsert, key, value, expiresAt), this.name);
		}
		wroteStatement();
	}

	/**
	 * Prepare and bind a write of one row: key, value and expiry, then the change
	 * announcement when the session sends it inside the statement.
	 */
	PreparedStatement oneRow(PgSession s, String sql, String announced, Object key, byte[] value, long expiresAt)
			throws SQLException {
		boolean inline = s.announcesInline();
		PreparedStatement statement = s.prepare(inline ? announced : sql);
		bindRow(statement, key, value, expiresAt);
		s.wrote(this.table, key);
		if (inline) {
			s.bindAnnouncement(statement, 4);
		}
		return statement;
	}

	void bindRow(PreparedStatement statement, Object key, byte[] value, long expiresAt) throws SQLException {
		this.keys.bind(statement, 1, key, this.where);
		statement.setBytes(2, value);
		setExpiry(statement, 3, expiresAt);
	}

	@Override
	public @Nullable Row exchange(Session session, Object key, byte[] value, long expiresAt) throws SQLException {
		// a stamped row takes a new stamp on every write, which the stamped upsert gives:
		// read, then upsert, in the caller's transaction
		return (this.stamps != null) ? TableStore.super.exchange(session, key, value, expiresAt)
				: this.swaps.exchange(PgSession.of(session), key, value, expiresAt);
	}

	@Override
	public @Nullable Row offer(Session session, Object key, byte[] value, long expiresAt, long now)
			throws SQLException {
		return (this.stamps != null) ? TableStore.super.offer(session, key, value, expiresAt, now)
				: this.swaps.offer(PgSession.of(session), key, value, expiresAt, now);
	}

	@Override
	public @Nullable Row take(Session session, Object key) throws SQLException {
		return this.keys.storable(key) ? this.swaps.take(PgSession.of(session), key) : null;
	}

	/** As many rows as one statement: {@code unnest} takes any count in one text. */
	@Override
	public int bulkRows(int rows) {
		return Math.min(rows, BULK_ROWS);
	}

	/**
	 * Upsert rows in one statement, whatever their count: PostgreSQL refuses to change a
	 * row twice in one statement, so a key given twice keeps its last row, and the rows
	 * go in key order, so that two instances' statements lock rows in the same order and
	 * cannot deadlock each other.
	 */
	@Override
	public void upsert(Session session, List<Upsert> rows) throws SQLException {
		if (rows.size() == 1) {
			Upsert row = rows.get(0);
			upsert(session, row.key(), row.value(), row.expiresAt());
			return;
		}
		Map<Object, Upsert> last = new LinkedHashMap<>();
		for (Upsert row : rows) {
			last.put(this.keys.identity(row.key()), row);
		}
		List<Map.Entry<Object, Upsert>> sorted = new ArrayList<>(last.entrySet());
		sorted.sort(Map.Entry.comparingByKey(PgTable::compareIdentities));
		int n = sorted.size();
		Object[] keys = new Object[n];
		byte[][] values = new byte[n][];
		Long[] expiries = new Long[n];
		for (int i = 0; i < n; i++) {
			Upsert row = sorted.get(i).getValue();
			keys[i] = row.key();
			values[i] = row.value();
			expiries[i] = (row.expiresAt() == 0) ? null : row.expiresAt();
		}
		PgSession s = PgSession.of(session);
		boolean inline = s.announcesInline();
		if (n > PgChanges.MAX_KEYS) {
			s.wroteAll(this.table);
		}
		else {
			for (Object key : keys) {
				s.wrote(this.table, key);
			}
		}
		// the statement counts the rows it inserts itself (PgCounts)
		PreparedStatement statement = s.prepare(inline ? this.sql.upsertManyAnnounced : this.sql.upsertMany);
		statement.setArray(1, this.keys.array(s.connection(), keys, this.where));
		statement.setArray(2, s.connection().createArrayOf("bytea", values));
		statement.setArray(3, s.connection().createArrayOf("int8", expiries));
		if (inline) {
			s.bindAnnouncement(statement, 4);
		}
		s.writeCounted(statement, this.name);
		wroteStatement();
	}

	/** Any total order does, as long as every instance uses the same one. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static int compareIdentities(Object a, Object b) {
		if (a.getClass() != b.getClass()) {
			return a.getClass().getName().compareTo(b.getClass().getName());
		}
		return ((Comparable) a).compareTo(b);
	}

	@Override
	public int delete(Session session, Object key) throws SQLException {
		if (!this.keys.storable(key)) {
			return 0;
		}
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.delete);
		this.keys.bind(statement, 1, key, this.where);
		s.wrote(this.table, key);
		int deleted = (int) s.update(statement, this.name);
		if (deleted > 0) {
			wroteStatement();
		}
		return deleted;
	}

	@Override
	public int refresh(Session session, Object key, long seen, long next, long now) throws SQLException {
		if (!this.keys.storable(key)) {
			return 0;
		}
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.refresh);
		statement.setLong(1, next);
		this.keys.bind(statement, 2, key, this.where);
		statement.setLong(3, seen);
		statement.setLong(4, now);
		s.wrote(this.table, key);
		return (int) s.update(statement, this.name);
	}

	@Override
	public int touch(Session session, Object key, long expiresAt, long now) throws SQLException {
		if (!this.keys.storable(key)) {
			return 0;
		}
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.touch);
		setExpiry(statement, 1, expiresAt);
		this.keys.bind(statement, 2, key, this.where);
		statement.setLong(3, now);
		s.wrote(this.table, key);
		return (int) s.update(statement, this.name);
	}

	@Override
	public long restamp(Session session, long expiresAt, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.restamp);
		setExpiry(statement, 1, expiresAt);
		statement.setLong(2, now);
		s.wroteAll(this.table);
		return s.update(statement, this.name);
	}

	/**
	 * Count the live rows from the dict's delta rows (see {@link PgCounts}), less the
	 * expired rows not yet swept, which the expiry index counts: exact in the session's
	 * snapshot, one statement, and no {@code COUNT(*)} over the table.
	 */
	@Override
	public long count(Session session, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.count);
		statement.setLong(1, now);
		statement.setString(2, this.table);
		statement.setString(3, this.table);
		try (ResultSet rs = s.query(statement, this.name)) {
			rs.next();
			foldIfMany(rs.getLong(2));
			return rs.getLong(1);
		}
	}

	/**
	 * Read the dict's totals from its delta rows (see {@link PgCounts}): exact in the
	 * session's snapshot, one statement, and no {@code COUNT(*)} over the table.
	 */
	@Override
	public Totals totals(Session session) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.totals);
		statement.setString(1, this.table);
		statement.setString(2, this.table);
		try (ResultSet rs = s.query(statement, this.name)) {
			rs.next();
			foldIfMany(rs.getLong(3));
			return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(4));
		}
	}

	private void foldIfMany(long deltaRows) {
		if (deltaRows > PgCounts.FOLD_EVERY) {
			this.counts.foldLater(this.table);
		}
	}

	/**
	 * Note one more write statement; every {@link PgCounts#FOLD_EVERY} of them, fold the
	 * dict's delta rows in the background.
	 */
	void wroteStatement() {
		if (this.writes.incrementAndGet() % PgCounts.FOLD_EVERY == 0) {
			this.counts.foldLater(this.table);
		}
	}

	/** Sweep, then fold the deltas that the sweep's deletes added. */
	@Override
	public long sweep(WriteScheduler writes, InstantSource clock) {
		long swept = TableStore.super.sweep(writes, clock);
		this.counts.fold(this.table);
		return swept;
	}

	@Override
	public long expired(Session session, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.expired);
		statement.setLong(1, now);
		try (ResultSet rs = s.query(statement, this.name)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/**
	 * Evict in exact stamp order, through the stamp index (see {@link PgStamps}): rows
	 * stamped at or after {@code olderThan} go only once every older row has, which is
	 * what that parameter asks for, so it changes nothing here.
	 */
	@Override
	public List<Object> evict(Session writer, long rows, long bytes, long olderThan, int limit) throws SQLException {
		PgStamps current = this.stamps;
		if (current == null) {
			throw unstamped();
		}
		List<Object> evicted = current.evict(PgSession.of(writer), rows, bytes, limit);
		if (!evicted.isEmpty()) {
			wroteStatement();
		}
		return evicted;
	}

	@Override
	public int stamp(Session writer, List<Object> keys) throws SQLException {
		PgStamps current = this.stamps;
		if (current == null) {
			throw unstamped();
		}
		return current.stamp(PgSession.of(writer), keys);
	}

	private UnsupportedOperationException unstamped() {
		return new UnsupportedOperationException(
				"Dict '" + this.name + "' is not bounded, so its table keeps no order stamps to evict or stamp by");
	}

	@Override
	public boolean isEmpty(Session session, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.any);
		statement.setLong(1, now);
		try (ResultSet rs = s.query(statement, this.name)) {
			return !rs.next();
		}
	}

	@Override
	public int sweepBatch(Session session, long now, int limit) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.sql.sweep);
		statement.setInt(1, SWEEP_LOCK);
		statement.setInt(2, this.table.hashCode());
		statement.setLong(3, now);
		statement.setInt(4, limit);
		// inside a writer's transaction (a bounded dict sweeps before it evicts), rows
		// another transaction deleted since its snapshot are left to that one
		int deleted = (int) PgStamps.unlessConflict(s, this.name, "sweep", () -> s.writeCounted(statement, this.name));
		if (deleted > 0) {
			wroteStatement();
		}
		return deleted;
	}

	@Override
	public void clear(Session session) throws SQLException {
		PgSession s = PgSession.of(session);
		s.wroteAll(this.table);
		s.writeCounted(s.prepare(this.sql.clear), this.name);
		wroteStatement();
	}

	@Override
	public Page page(Session session, @Nullable Object after, @Nullable Object from, @Nullable Object to, long now,
			int limit, boolean keyOrder, boolean withExpiry) throws SQLException {
		// a bound of another kind (a text prefix on integer keys) is before or after
		// every key of the column, as in SQLite's order of kinds
		if (from != null && this.keys.rankAgainst(from) != 0) {
			if (this.keys.rankAgainst(from) > 0) {
				return Page.EMPTY;
			}
			from = null;
		}
		if (to != null && this.keys.rankAgainst(to) != 0) {
			if (this.keys.rankAgainst(to) < 0) {
				return Page.EMPTY;
			}
			to = null;
		}
		PgSession s = PgSession.of(session);
		int variant = ((after != null) ? 1 : 0) | ((from != null) ? 2 : 0) | ((to != null) ? 4 : 0);
		PreparedStatement statement = s
			.prepare(withExpiry ? this.sql.pagesWithExpiry[variant] : this.sql.pages[variant]);
		int i = 1;
		statement.setLong(i++, now);
		if (after != null) {
			this.keys.bind(statement, i++, after, this.where);
		}
		if (from != null) {
			this.keys.bindBound(statement, i++, from, this.where);
		}
		if (to != null) {
			this.keys.bindBound(statement, i++, to, this.where);
		}
		statement.setInt(i, limit);
		List<Row> rows = new ArrayList<>(Math.min(limit, 64));
		long bytes = 0;
		try (ResultSet rs = s.query(statement, this.name)) {
			while (bytes < Page.MAX_BYTES && rs.next()) {
				Row row = new Row(this.keys.read(rs, 1), rs.getBytes(2), withExpiry ? rs.getLong(3) : 0);
				rows.add(row);
				bytes += row.value().length;
			}
		}
		return new Page(rows, rows.isEmpty() ? null : rows.get(rows.size() - 1).key(),
				rows.size() == limit || bytes >= Page.MAX_BYTES);
	}

	static void setExpiry(PreparedStatement statement, int index, long expiresAt) throws SQLException {
		if (expiresAt == 0) {
			statement.setNull(index, Types.BIGINT);
		}
		else {
			statement.setLong(index, expiresAt);
		}
	}

}
