package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each dict's entries and stored bytes, exact and in the writer's own transaction,
 * without a counter row that every writer must lock.
 *
 * <p>
 * Every dict table has {@code AFTER ... FOR EACH ROW} triggers on insert and delete that
 * insert rows into a deltas table: {@code pd_counts (t, entries, bytes)}, or
 * {@code pd_ucounts} (itself {@code UNLOGGED}) for an {@code UNLOGGED} dict table, so
 * that a server crash empties both together. They insert one delta row per row inserted
 * or deleted. So every insert and delete is counted: the engine's one-row statements, and
 * anyone else's (psql, a migration, the command-line tool).
 *
 * <p>
 * An overwrite changes no entry count, only the bytes, when the new value's length
 * differs. The engine's overwrites (the upserts, and the updates of {@code put},
 * {@code replace} and their kin) keep that change in the row itself, in column
 * {@value #PENDING}: the bytes the row has gained since it was last counted, {@code NULL}
 * for none ({@link #pendingChange}). An overwrite of the same length leaves it
 * {@code NULL}, so the update stays HOT and adds nothing anywhere, which is the common
 * write of a cache. A partial index on the column ({@code WHERE d IS NOT NULL}) finds the
 * rows that carry a change; the totals add them, a delete subtracts what was counted (the
 * row's bytes less its pending change), and a fold moves them into a delta row. Schema
 * version 5 counted such changes with a row-level {@code AFTER UPDATE} trigger, which
 * cost every one-row upsert 8-13% on the server even when its {@code WHEN} was false
 * (pgbench, one client: 9,370 against 10,100-10,360 upserts a second with the column or
 * with no trigger at all). The price: an {@code UPDATE} from outside the engine that
 * changes a value's length must set the column too ({@code d = }{@link #pendingChange}'s
 * expression, with {@code t} the table), or its change is not counted.
 *
 * <p>
 * The engine's statements of many rows ({@code putAll} and imports at
 * {@code REPEATABLE READ}, sweeps, {@code clear}) count themselves instead
 * ({@link #selfCounted}): they set {@value #BULK} for the rest of their transaction,
 * which the triggers' {@code WHEN} skips, write their rows in a data-modifying CTE whose
 * {@code RETURNING} gives each row's change, insert one delta row for all of them, and
 * set {@value #BULK} back before they end, so the statements after them in the
 * transaction are counted by the triggers again. Before schema version 5, statement-level
 * triggers with transition tables counted those; PostgreSQL captures transition tables
 * for every statement once such a trigger exists, even when its {@code WHEN} is false,
 * and a one-row upsert paid for that and for the setting that chose between the two kinds
 * of triggers: 4,100-4,500 against 4,800-5,000 upserts a second with the row-level
 * triggers alone (pgbench, one client, durable commits; 5,200-5,400 without triggers).
 *
 * <p>
 * Writers only insert there, so they never wait for each other. A dict's totals are the
 * sums of its few delta rows and pending changes, in the reader's snapshot, so they are
 * exact: a transaction sees its own writes and other transactions' commits, as it sees
 * the rows. From time to time (every {@link #FOLD_EVERY} write statements of this
 * instance, when a read finds more rows, and after each sweep) a <em>fold</em> replaces a
 * dict's delta rows with their sum, and moves up to {@value #FOLD_ROWS} pending changes
 * into it, in one statement ({@link #foldStatement}): it deletes the delta rows with
 * {@code RETURNING}, clears the changes of the rows it locks ({@code SKIP LOCKED}: a row
 * that a writer holds waits for the next fold) and inserts the sum, so a fold never
 * counts a row twice, and {@code pg_try_advisory_xact_lock} keeps two folds of one dict
 * from waiting for each other. It holds an {@code ACCESS SHARE} lock on the dict's table,
 * so that a {@code TRUNCATE} (whose trigger deletes the dict's delta rows) or a
 * {@code DROP} cannot run between its delete and its insert. One round trip, whose commit
 * does not wait for the WAL: folds had taken nine (the lock, the advisory lock, the two
 * tables, the commit, and the isolation level read, set and reset), and at one every 200
 * writes they cost a one-row {@code set} about 10% (JDBC, 1,000 sets a round, 15 rounds).
 *
 * <p>
 * The trigger functions are one-statement PL/pgSQL functions per deltas table, not one
 * with branches: PL/pgSQL compiles a copy of a trigger function per trigger and
 * connection, and large ones made later DDL slow. Their bodies are single-quoted strings,
 * not dollar-quoted, so that script runners that split at {@code ;} (Spring's) keep each
 * statement whole.
 */
final class PgCounts {

	private static final Logger logger = LoggerFactory.getLogger(PgCounts.class);

	/** The deltas table of logged dict tables. */
	static final String LOGGED = "pd_counts";

	/** The deltas table of {@code UNLOGGED} dict tables. */
	static final String UNLOGGED = "pd_ucounts";

	/** The first key of the advisory locks that keep two folds of a dict apart. */
	static final int FOLD_LOCK = 0x70644643;

	/**
	 * The setting with which a statement of many rows that counts itself keeps the
	 * triggers from counting its rows.
	 */
	static final String BULK = "persistentdict.bulk";

	/** The column of a dict table that holds a row's bytes not yet counted. */
	static final String PENDING = "d";

	/**
	 * Return the new value of {@value #PENDING} in an overwrite of row {@code t}: its old
	 * change plus the change of the value's length, {@code NULL} when they cancel, so
	 * that an overwrite of the same length keeps it {@code NULL} and stays HOT.
	 * @param newValue the expression of the new value
	 * @return the expression
	 */
	static String pendingChange(String newValue) {
		return "nullif(coalesce(t.d, 0) + octet_length(" + newValue + ") - octet_length(t.v), 0)";
	}

	/** The most pending changes that one fold moves into a delta row. */
	static final int FOLD_ROWS = 10_000;

	/** Write statements of this instance on one dict between two folds. */
	static final int FOLD_EVERY = 200;

	private final DataSource dataSource;

	private final String schema;

	private final boolean writable;

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final ThreadPoolExecutor folder;

	/**
	 * Create the counts of a schema.
	 * @param dataSource where folds borrow their connection
	 * @param schema the schema
	 * @param writable whether this instance writes (and so folds)
	 */
	PgCounts(DataSource dataSource, String schema, boolean writable) {
		this.dataSource = dataSource;
		this.schema = schema;
		this.writable = writable;
		this.folder = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, "persistentdict-pg-fold-" + schema);
			thread.setDaemon(true);
			return thread;
		});
		this.folder.allowCoreThreadTimeOut(true);
	}

	/**
	 * Return the bytes of a row of a dict table that the deltas count: its bytes less its
	 * pending change.
	 * @param schema the schema
	 * @return the expression, over the row's unqualified columns
	 */
	static String countedBytes(String schema) {
		return rowBytes(schema, null) + " - coalesce(" + PENDING + ", 0)";
	}

	/**
	 * Return a statement of many rows that counts them itself, in one delta row, instead
	 * of the triggers' one per row. {@code write}, named {@code w}, is a data-modifying
	 * statement whose {@code WHERE} holds {@link #SKIP_TRIGGERS} (a one-time filter, so
	 * the setting is on before it writes its first row) and whose {@code RETURNING} gives
	 * what {@code entries} and {@code bytes}, aggregates over {@code w}, need. The
	 * statement returns one row: how many rows it wrote, the setting, set back once every
	 * row is written (the aggregate reads them all first), so the transaction's later
	 * statements are counted by the triggers again, and {@code also}. The delta goes to
	 * the deltas table of the table's own persistence.
	 * @param schema the schema
	 * @param table the dict's table
	 * @param before CTEs that {@code write} reads, each followed by a comma, or empty
	 * @param write the statement
	 * @param entries the change of the entries, an aggregate
	 * @param bytes the change of the bytes, an aggregate
	 * @param also another expression of the statement's row, or {@code null}
	 * @return the statement's text
	 */
	static String selfCounted(String schema, String table, String before, String write, String entries, String bytes,
			@Nullable String also) {
		String q = PgSchema.qualified(schema, table);
		String persistence = "(SELECT relpersistence FROM pg_catalog.pg_class WHERE oid = '" + q + "'::regclass)";
		StringBuilder sql = new StringBuilder("WITH ").append(before)
			.append("w AS (")
			.append(write)
			.append("), a AS (SELECT count(*) AS n, ")
			.append(entries)
			.append(" AS e, ")
			.append(bytes)
			.append(" AS b FROM w)");
		// one pass over the written rows; both deltas tables read its one row
		for (String counts : List.of(LOGGED, UNLOGGED)) {
			sql.append(", ")
				.append(counts.equals(LOGGED) ? "l" : "u")
				.append(" AS (INSERT INTO ")
				.append(PgSchema.qualified(schema, counts))
				.append(" (t, entries, bytes) SELECT '")
				.append(table)
				.append("', a.e, a.b FROM a WHERE (a.e <> 0 OR a.b <> 0) AND ")
				.append(persistence)
				.append(counts.equals(LOGGED) ? " <> 'u')" : " = 'u')");
		}
		return sql.append(" SELECT a.n, set_config('" + BULK + "', 'off', true)")
			.append((also != null) ? ", " + also : "")
			.append(" FROM a")
			.toString();
	}

	/**
	 * The condition of a {@link #selfCounted} statement that keeps the triggers from
	 * counting its rows: a one-time filter ({@code set_config} in an uncorrelated
	 * subquery), true.
	 */
	static final String SKIP_TRIGGERS = "(SELECT set_config('" + BULK + "', 'on', true)) = 'on'";

	/**
	 * Return the stored bytes of a row of a dict table, as the triggers count them.
	 * @param schema the schema
	 * @param alias the row's alias, or {@code null} for none
	 * @return the expression
	 */
	static String rowBytes(String schema, @Nullable String alias) {
		String prefix = (alias != null) ? alias + "." : "";
		return "octet_length(" + prefix + "v) + " + PgSchema.quote(schema) + ".pd_key_bytes(" + prefix + "k)";
	}

	/**
	 * Return the statement that reads a table's totals: its stored rows (expired ones
	 * included), their bytes (the delta rows' and the pending changes'), how many delta
	 * rows and pending changes it summed, and its logical clock (the last value of its
	 * stamp sequence, or 0 for a table without one). Parameters: the table's name twice.
	 * @param schema the schema
	 * @param table the table
	 * @param sequence the table's stamp sequence, or {@code null} for none
	 * @return the statement's text
	 */
	static String totalsQuery(String schema, String table, @Nullable String sequence) {
		String clock = (sequence != null) ? "(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
				+ PgSchema.qualified(schema, sequence) + ")" : "0";
		return "SELECT c.entries, c.bytes + p.b, c.rows + p.n, " + clock + " FROM " + sums(schema)
				+ ", (SELECT coalesce(sum(" + PENDING + "), 0) AS b, count(*) AS n FROM (" + pendingRows(schema, table)
				+ ") r) p";
	}

	/**
	 * Return the query of a table's rows that carry a pending change, in the order of its
	 * partial index: the order is what keeps the planner on that index when the table has
	 * no statistics yet (a new table, or one just loaded), where it estimates
	 * {@code d IS NOT NULL} true of nearly every row and scans the table: 8.7 ms a fold
	 * on 100,000 rows, against microseconds through the index.
	 * @param schema the schema
	 * @param table the table
	 * @return the query's text, of column {@value #PENDING} alone (an index-only scan)
	 */
	static String pendingRows(String schema, String table) {
		return pendingRows(schema, table, PENDING, "");
	}

	/**
	 * Return the query of a table's rows that carry a pending change, in the order of its
	 * partial index (see {@link #pendingRows(String, String)}), for the totals and the
	 * fold alike.
	 * @param schema the schema
	 * @param table the table
	 * @param columns the columns it gives
	 * @param condition more of its {@code WHERE}, starting with {@code AND}, or empty
	 * @return the query's text, to which a {@code LIMIT} may be added
	 */
	static String pendingRows(String schema, String table, String columns, String condition) {
		return "SELECT " + columns + " FROM " + PgSchema.qualified(schema, table) + " WHERE " + PENDING + " IS NOT NULL"
				+ condition + " ORDER BY " + PENDING;
	}

	/**
	 * Return the statement that counts a table's live rows: its stored rows less those
	 * expired at the first parameter's time, which the expiry index counts. Parameters:
	 * now, the table's name twice.
	 * @param schema the schema
	 * @param table the table
	 * @return the statement's text
	 */
	static String countQuery(String schema, String table) {
		return "SELECT c.entries - (SELECT count(*) FROM " + PgSchema.qualified(schema, table)
				+ " WHERE x <= ?), c.rows FROM " + sums(schema);
	}

	private static String sums(String schema) {
		return "(SELECT coalesce(sum(entries), 0) AS entries, coalesce(sum(bytes), 0) AS bytes, count(*) AS rows"
				+ " FROM (SELECT entries, bytes FROM " + PgSchema.qualified(schema, LOGGED) + " WHERE t = ?"
				+ " UNION ALL SELECT entries, bytes FROM " + PgSchema.qualified(schema, UNLOGGED)
				+ " WHERE t = ?) d) c";
	}

	/**
	 * Fold a table's delta rows later, on this instance's folding thread, unless a fold
	 * of it is already waiting.
	 * @param table the dict's table
	 */
	void foldLater(String table) {
		if (!this.writable || !this.pending.add(table)) {
			return;
		}
		try {
			this.folder.execute(() -> {
				this.pending.remove(table);
				fold(table);
			});
		}
		catch (RejectedExecutionException ex) {
			this.pending.remove(table);
		}
	}

	/**
	 * Fold a table's delta rows now, in one statement in a transaction of its own. A fold
	 * that fails (the table was dropped, the database is away, a fold that committed
	 * after this one's snapshot at {@code REPEATABLE READ}) changes nothing, and the next
	 * one folds what it left.
	 * @param table the dict's table
	 * @return whether it ran (another fold of the table did not hold the lock)
	 */
	boolean fold(String table) {
		if (!this.writable) {
			return false;
		}
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(foldStatement(this.schema, table))) {
			statement.setInt(1, FOLD_LOCK);
			for (int i = 2; i <= 6; i++) {
				statement.setString(i, table);
			}
			boolean held;
			try (ResultSet rs = statement.executeQuery()) {
				held = rs.next() && rs.getBoolean(1);
			}
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			return held;
		}
		catch (SQLException ex) {
			logger.debug("Could not fold the counts of table {} in schema {}", table, this.schema, ex);
			return false;
		}
	}

	/**
	 * Return the statement that folds a table's delta rows, in both deltas tables, and up
	 * to {@value #FOLD_ROWS} of its pending changes, in one round trip: it names the
	 * dict's table, so it holds an {@code ACCESS SHARE} lock on it from the start (a
	 * {@code TRUNCATE}, whose trigger deletes the table's delta rows, or a {@code DROP}
	 * cannot run between its deletes and its inserts); it takes the fold's advisory lock,
	 * or does nothing; it deletes the delta rows with {@code RETURNING}, clears the
	 * pending changes of the rows it could lock ({@code SKIP LOCKED}: it never waits for
	 * a writer, and a locked row's change is read as locked, so it is its newest), and
	 * inserts their sum into the deltas table of the table's persistence, so it never
	 * counts a row twice; and its commit does not wait for the WAL
	 * ({@code synchronous_commit} off for it alone): a fold lost in a crash leaves the
	 * rows and changes it would have folded, whose sum is the same. Parameters: the
	 * lock's first key, then the table's name five times. It returns whether it held the
	 * lock.
	 * @param schema the schema
	 * @param table the dict's table
	 * @return the statement's text
	 */
	static String foldStatement(String schema, String table) {
		String q = PgSchema.qualified(schema, table);
		StringBuilder sql = new StringBuilder("WITH lease AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(?,"
				+ " hashtext(?)) AND set_config('synchronous_commit', 'off', true) = 'off' AS held,"
				+ " (SELECT relpersistence = 'u' FROM pg_catalog.pg_class WHERE oid = '" + q
				+ "'::regclass) AS u FROM (SELECT 1 FROM " + q
				+ " LIMIT 0) named RIGHT JOIN (VALUES (1)) one ON true), p AS MATERIALIZED ("
				+ pendingRows(schema, table, "k, " + PENDING, " AND (SELECT held FROM lease)") + " LIMIT " + FOLD_ROWS
				+ " FOR UPDATE SKIP LOCKED), cleared AS (UPDATE " + q + " t SET " + PENDING
				+ " = NULL FROM p WHERE t.k = p.k RETURNING p." + PENDING + ")");
		for (String counts : List.of(LOGGED, UNLOGGED)) {
			String gone = counts.equals(LOGGED) ? "gl" : "gu";
			sql.append(", ")
				.append(gone)
				.append(" AS (DELETE FROM ")
				.append(PgSchema.qualified(schema, counts))
				.append(" WHERE t = ? AND (SELECT held FROM lease) RETURNING entries, bytes), ")
				.append(counts.equals(LOGGED) ? "il" : "iu")
				.append(" AS (INSERT INTO ")
				.append(PgSchema.qualified(schema, counts))
				.append(" (t, entries, bytes) SELECT ?, sum(e), sum(b) FROM (SELECT entries AS e, bytes AS b FROM ")
				.append(gone)
				.append(" UNION ALL SELECT 0, ")
				.append(PENDING)
				.append(" FROM cleared WHERE ")
				.append(counts.equals(LOGGED) ? "NOT " : "")
				.append("(SELECT u FROM lease)) f HAVING count(*) > 0 AND (sum(e) <> 0 OR sum(b) <> 0))");
		}
		return sql.append(" SELECT held FROM lease").toString();
	}

	/**
	 * Stop folding: the waiting folds never run, and one under way (a few milliseconds)
	 * is waited for, up to 5 s, so that no fold of a closed store holds locks that a
	 * {@code DROP} after the close would deadlock with.
	 */
	void close() {
		this.folder.getQueue().clear();
		this.folder.shutdown();
		try {
			if (!this.folder.awaitTermination(5, TimeUnit.SECONDS)) {
				logger.debug("A fold of schema {} still runs after its store closed", this.schema);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
