package io.persistentdict.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order stamps of a bounded dict's table, and its eviction. A stamp is a value of the
 * table's sequence ({@code d_..._seq}), which fills column {@code s} on every insert and
 * upsert: a sequence takes no row lock and never waits, so writers on one dict do not
 * queue for a clock. Rows written before the dict was bounded have no stamp
 * ({@code NULL}) and are evicted first. An index on {@code (s NULLS FIRST)} gives the
 * oldest rows without a scan.
 *
 * <p>
 * <b>Eviction</b> is one statement: it locks the oldest rows with
 * {@code FOR UPDATE SKIP LOCKED} (rows that another writer holds are passed over, never
 * waited for, so two evicting writers neither wait for each other nor deadlock), keeps
 * the shortest prefix in stamp order that frees the rows and bytes asked for, and deletes
 * it. Under {@code REPEATABLE READ} a row that another transaction deleted or rewrote
 * after this one's snapshot cannot be locked: PostgreSQL reports a serialization failure.
 * Such an eviction runs in a savepoint and, when it fails that way, is rolled back and
 * deletes nothing: the other writer evicted (or rewrote) those rows, and the next write
 * evicts what is still over. So concurrent writers never see a serialization failure from
 * eviction, and do not together evict more than they must. Access stamps
 * ({@code LEAST_RECENTLY_USED}) are written the same way.
 */
final class PgStamps {

	private static final Logger logger = LoggerFactory.getLogger(PgStamps.class);

	/** The first key of the advisory locks that let one transaction at a time evict. */
	static final int EVICT_LOCK = 0x70644556;

	private final String name;

	private final String table;

	private final PgKeys keys;

	private final String evict;

	private final String stamp;

	/**
	 * Create the stamp SQL of one table.
	 * @param name the dict's qualified name, for messages
	 * @param schema the schema
	 * @param table the table
	 * @param keys the kind of its keys
	 */
	PgStamps(String name, String schema, String table, PgKeys keys) {
		this.name = name;
		this.table = table;
		this.keys = keys;
		String q = PgSchema.qualified(schema, table);
		String rowBytes = "octet_length(d.v) + " + PgSchema.quote(schema) + ".pd_key_bytes(d.k)";
		// the candidates, read in stamp order through the index without locking them: n
		// is the rows before this one, before their bytes; a row goes while either target
		// is not yet reached by the rows before it, so the shortest prefix
		String pick = "SELECT c.k FROM (SELECT z.k, row_number() OVER w - 1 AS n, sum(z.b) OVER w - z.b AS before"
				+ " FROM (SELECT d.k, d.s, " + rowBytes + " AS b FROM " + q + " d, lease WHERE lease.held"
				+ " ORDER BY d.s NULLS FIRST LIMIT ?) z WINDOW w AS (ORDER BY z.s NULLS FIRST ROWS UNBOUNDED PRECEDING))"
				+ " c WHERE c.n < ? OR c.before < ?";
		// one transaction at a time evicts a dict: the others' try fails, and they
		// delete nothing until it commits, so two do not evict for the same excess. Only
		// the picked rows are locked, SKIP LOCKED, and found by key: = ANY(ARRAY(...))
		// keeps the planner on the primary key, where IN (...) let it scan the table.
		// The count triggers count its rows: a write evicts a few
		this.evict = "WITH lease AS (SELECT pg_try_advisory_xact_lock(?, ?) AS held) DELETE FROM " + q
				+ " WHERE k = ANY(ARRAY(SELECT l.k FROM " + q + " l WHERE l.k = ANY(ARRAY(" + pick + "))"
				+ " FOR UPDATE OF l SKIP LOCKED)) RETURNING k";
		this.stamp = "UPDATE " + q + " SET s = nextval('" + PgSchema.qualified(schema, PgSchema.sequenceName(table))
				+ "') WHERE k = ANY(ARRAY(SELECT k FROM " + q + " WHERE k = ANY(?) ORDER BY k FOR UPDATE SKIP LOCKED))";
	}

	/**
	 * Evict the oldest rows, in the writer's transaction.
	 * @param session the write session
	 * @param rows the fewest rows to delete
	 * @param bytes the fewest bytes to free
	 * @param limit the most rows to delete
	 * @return the encoded keys of the deleted rows
	 * @throws SQLException on failure
	 */
	List<Object> evict(PgSession session, long rows, long bytes, int limit) throws SQLException {
		if ((rows <= 0 && bytes <= 0) || limit <= 0) {
			return List.of();
		}
		PreparedStatement statement = session.prepare(this.evict);
		statement.setInt(1, EVICT_LOCK);
		statement.setInt(2, this.table.hashCode());
		// rows alone: no need to read past them; a byte target may need all the limit
		statement.setInt(3, (bytes > 0) ? limit : (int) Math.min(limit, rows));
		statement.setLong(4, Math.max(rows, 0));
		statement.setLong(5, Math.max(bytes, 0));
		List<Object> evicted = new ArrayList<>();
		long deleted = unlessConflict(session, this.name, "eviction", () -> {
			try (ResultSet rs = session.query(statement, this.name)) {
				while (rs.next()) {
					evicted.add(this.keys.read(rs, 1));
				}
			}
			return evicted.size();
		});
		if (deleted == 0) {
			// rolled back: nothing was deleted
			evicted.clear();
		}
		// other instances' near caches drop the evicted keys, and only those
		if (evicted.size() > PgChanges.MAX_KEYS) {
			session.wroteAll(this.table);
		}
		else {
			for (Object key : evicted) {
				session.wrote(this.table, key);
			}
		}
		return evicted;
	}

	/**
	 * Give rows the stamp a write would give them now, in the writer's transaction. Their
	 * values do not change, so other instances' near caches are not told.
	 * @param session the write session
	 * @param keys the encoded keys
	 * @return how many rows were stamped
	 * @throws SQLException on failure
	 */
	int stamp(PgSession session, List<Object> keys) throws SQLException {
		if (keys.isEmpty()) {
			return 0;
		}
		PreparedStatement statement = session.prepare(this.stamp);
		statement.setArray(1, this.keys.array(session.connection(), keys.toArray(), this.name));
		return (int) unlessConflict(session, this.name, "stamps", () -> session.update(statement, this.name));
	}

	/**
	 * Run a statement in a savepoint, and roll it back, as if it changed nothing, when
	 * another transaction changed its rows after this one's snapshot; outside a
	 * transaction, just run it.
	 * @param session the session
	 * @param dict the dict, for the log
	 * @param what what the statement does, for the log
	 * @param work the statement's work
	 * @return what the work returns, or 0 when it was rolled back
	 * @throws SQLException on any other failure
	 */
	static long unlessConflict(PgSession session, String dict, String what, Work work) throws SQLException {
		if (!session.inTransaction()) {
			return work.run();
		}
		session.execute("SAVEPOINT pd_stamps");
		try {
			long changed = work.run();
			session.execute("RELEASE SAVEPOINT pd_stamps");
			return changed;
		}
		catch (SQLException ex) {
			if (!"40001".equals(PgErrors.state(ex))) {
				throw ex;
			}
			session.execute("ROLLBACK TO SAVEPOINT pd_stamps");
			session.execute("RELEASE SAVEPOINT pd_stamps");
			logger.debug("Dict '{}': {} skipped, another transaction changed its rows", dict, what);
			return 0;
		}
	}

	/** A statement's work. */
	@FunctionalInterface
	interface Work {

		long run() throws SQLException;

	}

}
