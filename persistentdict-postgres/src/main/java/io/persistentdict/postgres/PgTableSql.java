package io.persistentdict.postgres;

import org.jspecify.annotations.Nullable;

/**
 * The text of one dict table's statements, built once when the table is opened: every key
 * and value is a bound parameter.
 */
final class PgTableSql {

	static final String LIVE = "(x IS NULL OR x > ?)";

	final String get;

	final String upsert;

	final String upsertMany;

	final String upsertAnnounced;

	final String upsertLeased;

	final String upsertManyAnnounced;

	final String exchange;

	final String exchangeAnnounced;

	final String offer;

	final String offerAnnounced;

	final String take;

	final String takeAnnounced;

	final String delete;

	final String touch;

	final String refresh;

	final String restamp;

	final String count;

	final String any;

	/** The totals, from the deltas of {@link PgCounts}. */
	final String totals;

	final String expired;

	final String sweep;

	final String clear;

	final String[] pages = new String[8];

	final String[] pagesWithExpiry = new String[8];

	PgTableSql(String schema, String table, PgKeys keys, boolean stamped) {
		String q = PgSchema.qualified(schema, table);
		this.get = "SELECT v, x" + (stamped ? ", s" : "") + " FROM " + q + " WHERE k = ?";
		// a stamped row takes the stamp its insert would: the column's default, a new
		// value of the table's sequence. An overwrite keeps its change of bytes in the
		// row (PgCounts)
		String onConflict = " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x"
				+ (stamped ? ", s = excluded.s" : "") + ", " + PgCounts.PENDING + " = "
				+ PgCounts.pendingChange("excluded.v");
		String into = "INSERT INTO " + q + " AS t (k, v, x) ";
		// the count triggers count one-row statements' inserts, and whatever else they
		// write
		this.upsert = into + "SELECT ?::" + keys.arrayType() + ", ?::bytea, ?::int8" + onConflict;
		String rows = "unnest(?::" + keys.arrayType() + "[], ?::bytea[], ?::int8[])";
		this.upsertMany = upsertMany(schema, into, rows, onConflict, null, table);
		// a lone write outside a transaction carries its own NOTIFY: one round trip; it
		// is
		// sent only when an instance may listen (PgChangeFeed)
		String listened = PgListeners.listened(schema);
		String notify = "CASE WHEN " + listened + " THEN pg_notify(?, ?) END";
		// a lone set that finds no listener grants the store a lease (PgQuietLease),
		// under
		// which the next ones run bare but for the lease's guard
		this.upsertAnnounced = "WITH w AS (" + this.upsert + ") SELECT CASE WHEN l.heard THEN pg_notify(?, ?) END, "
				+ PgQuietLease.GRANT + " FROM (SELECT " + listened + " AS heard) l";
		this.upsertLeased = into + "SELECT ?::" + keys.arrayType() + ", ?::bytea, ?::int8 WHERE " + PgQuietLease.GUARD
				+ onConflict;
		this.upsertManyAnnounced = upsertMany(schema, into, rows, onConflict, notify, table);
		this.exchange = exchange(q, keys);
		// the NOTIFY as a FROM item, which runs once
		this.exchangeAnnounced = this.exchange + ", (SELECT " + notify + ") n";
		this.offer = offer(q, keys);
		// the NOTIFY only when the statement wrote
		this.offerAnnounced = this.offer.replace(" FROM (VALUES (1)) one",
				", CASE WHEN (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd) > 0 AND " + listened
						+ " THEN pg_notify(?, ?) END FROM (VALUES (1)) one");
		this.delete = "DELETE FROM " + q + " WHERE k = ?";
		// the deleted row's newest version (DELETE waits for a writer of it), and the
		// NOTIFY only when a row went
		this.take = "WITH d AS (" + this.delete + " RETURNING v, x) SELECT v, x FROM d";
		this.takeAnnounced = this.take.replace("SELECT v, x FROM d", "SELECT v, x, " + notify + " FROM d");
		// an expiry's update changes no total: no trigger runs
		this.touch = "UPDATE " + q + " SET x = ? WHERE k = ? AND " + LIVE;
		this.refresh = "UPDATE " + q + " SET x = ? WHERE k = ? AND x = ? AND x > ?";
		this.restamp = "UPDATE " + q + " SET x = ? WHERE " + LIVE;
		this.count = PgCounts.countQuery(schema, table);
		this.totals = PgCounts.totalsQuery(schema, table, stamped ? PgSchema.sequenceName(table) : null);
		this.any = "SELECT 1 FROM " + q + " WHERE " + LIVE + " LIMIT 1";
		this.expired = "SELECT count(*) FROM " + q + " WHERE x <= ?";
		// one instance sweeps a dict at a time: the others' try fails and they delete
		// nothing; the lock lasts until the statement's transaction ends. SKIP LOCKED
		// passes over rows that writers hold, so the sweep never waits for them; = ANY
		// (ARRAY(...)) finds the rows by key, where IN (...) let the planner scan the
		// table
		// both count themselves: one delta row for all the rows they delete
		String gone = " AND " + PgCounts.SKIP_TRIGGERS + " RETURNING " + PgCounts.countedBytes(schema) + " AS b";
		this.sweep = PgCounts.selfCounted(schema, table, "lease AS (SELECT pg_try_advisory_xact_lock(?, ?) AS held), ",
				"DELETE FROM " + q + " WHERE k = ANY(ARRAY(SELECT d.k FROM " + q
						+ " d, lease WHERE lease.held AND d.x <= ? LIMIT ? FOR UPDATE OF d SKIP LOCKED))" + gone,
				"-count(*)", "-coalesce(sum(b), 0)", null);
		this.clear = PgCounts.selfCounted(schema, table, "", "DELETE FROM " + q + " WHERE true" + gone, "-count(*)",
				"-coalesce(sum(b), 0)", null);
		for (int i = 0; i < this.pages.length; i++) {
			this.pages[i] = "SELECT k, v FROM " + q + " WHERE " + LIVE + (((i & 1) != 0) ? " AND k > ?" : "")
					+ (((i & 2) != 0) ? " AND k >= ?" : "") + (((i & 4) != 0) ? " AND k < ?" : "")
					+ " ORDER BY k LIMIT ?";
			this.pagesWithExpiry[i] = this.pages[i].replace("SELECT k, v ", "SELECT k, v, x ");
		}
	}

	/**
	 * The upsert of many rows ({@code putAll}, an import, a group commit's batch) that
	 * counts the rows it inserts itself ({@link PgCounts#selfCounted}): {@code xmax = 0}
	 * tells a row it inserted from one it updated, whose change the update keeps in the
	 * row. Exact at any isolation level, as the triggers are.
	 */
	private static String upsertMany(String schema, String into, String rows, String onConflict, @Nullable String also,
			String table) {
		return PgCounts.selfCounted(schema, table, "",
				into + "SELECT * FROM " + rows + " WHERE " + PgCounts.SKIP_TRIGGERS + onConflict
						+ " RETURNING xmax = 0 AS fresh, " + PgCounts.rowBytes(schema, null) + " AS b",
				"count(*) FILTER (WHERE w.fresh)", "coalesce(sum(w.b) FILTER (WHERE w.fresh), 0)", also);
	}

	/**
	 * The upsert that returns the row it replaces, in one statement, exact at
	 * {@code READ COMMITTED} in autocommit: {@code old} locks the present row
	 * ({@code FOR UPDATE} waits for a writer of it and reads its newest version), and
	 * then either the update changes that locked row or, when there was none, the insert
	 * adds one. Should another transaction insert the key after the statement's snapshot,
	 * the insert does nothing and neither wrote: the first column is then 0, the
	 * statement changed nothing, and it runs again ({@link PgTable#exchange}). At
	 * {@code REPEATABLE READ} such a race is a serialization failure instead. Before
	 * PostgreSQL 18, {@code RETURNING} cannot give the replaced row, hence the CTE.
	 */
	private static String exchange(String q, PgKeys keys) {
		return swap(q, keys, "");
	}

	/**
	 * The insert unless a live row is there, in one statement that returns the row that
	 * was there, exact at {@code READ COMMITTED} as {@link #exchange} is: {@code old}
	 * locks the present row, which the update replaces only when it has expired (the
	 * fourth parameter is the current time); with none, the insert adds one. The first
	 * column is how many rows it wrote: 0 with a live row means the row stays, 0 without
	 * one means another transaction inserted the key after the statement's snapshot, and
	 * the statement runs again.
	 */
	private static String offer(String q, PgKeys keys) {
		return swap(q, keys, " WHERE old.x <= ?");
	}

	/**
	 * The CTE of {@link #exchange} and {@link #offer}: the update replaces the locked row
	 * when it satisfies {@code replaced} (a condition on {@code old}, or none).
	 */
	private static String swap(String q, PgKeys keys, String replaced) {
		return "WITH arg (k, v, x) AS (SELECT ?::" + keys.arrayType() + ", ?::bytea, ?::int8),"
				+ " old AS MATERIALIZED (SELECT t.v, t.x FROM " + q + " t JOIN arg ON t.k = arg.k FOR UPDATE OF t),"
				+ " ins AS (INSERT INTO " + q + " (k, v, x) SELECT k, v, x FROM arg"
				+ " WHERE NOT EXISTS (SELECT 1 FROM old) ON CONFLICT (k) DO NOTHING RETURNING 1)," + " upd AS (UPDATE "
				+ q + " t SET v = arg.v, x = arg.x, " + PgCounts.PENDING + " = " + PgCounts.pendingChange("arg.v")
				+ " FROM arg WHERE t.k = arg.k" + " AND EXISTS (SELECT 1 FROM old" + replaced + ") RETURNING 1)"
				+ " SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd), old.v, old.x"
				+ " FROM (VALUES (1)) one LEFT JOIN old ON true";
	}

}
