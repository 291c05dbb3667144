package io.persistentdict.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of {@link PgCounts}: the deltas tables and their trigger functions, each dict
 * table's triggers and column of pending changes, and the recount that a new or migrated
 * table gets.
 */
final class PgCountsDdl {

	/** The count triggers of every dict table, which an intact table has all of. */
	static final List<String> TRIGGERS = List.of("pd_count_truncated", "pd_count_row_inserted", "pd_count_row_deleted");

	/**
	 * The triggers of older schema versions: the statement-level ones of versions 2 to 4,
	 * and the row-level update trigger of versions 3 to 5.
	 */
	private static final List<String> RETIRED = List.of("pd_count_inserted", "pd_count_deleted", "pd_count_updated",
			"pd_count_row_updated");

	private static final String COUNTED = "coalesce(current_setting('" + PgCounts.BULK + "', true), '') <> 'on'";

	private PgCountsDdl() {
	}

	/**
	 * Return the DDL of the deltas tables and of their functions, in the order to run.
	 * @param schema the schema
	 * @return the statements
	 */
	static List<String> ddl(String schema) {
		String s = PgSchema.quote(schema);
		String fn = "CREATE OR REPLACE FUNCTION " + s;
		String keyBytes = " RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS ";
		String trigger = "() RETURNS trigger LANGUAGE plpgsql AS ";
		List<String> ddl = new ArrayList<>();
		ddl.add(fn + ".pd_key_bytes(bigint)" + keyBytes + "'SELECT 8::bigint'");
		ddl.add(fn + ".pd_key_bytes(text)" + keyBytes + "'SELECT octet_length($1)::bigint'");
		ddl.add(fn + ".pd_key_bytes(bytea)" + keyBytes + "'SELECT octet_length($1)::bigint'");
		for (String table : List.of(PgCounts.LOGGED, PgCounts.UNLOGGED)) {
			String q = PgSchema.qualified(schema, table);
			String prefix = table.equals(PgCounts.LOGGED) ? ".pd_count_" : ".pd_ucount_";
			ddl.add("CREATE " + (table.equals(PgCounts.LOGGED) ? "" : "UNLOGGED ") + "TABLE IF NOT EXISTS " + q
					+ " (t text COLLATE \"C\" NOT NULL, entries bigint NOT NULL, bytes bigint NOT NULL)"
					+ " WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)");
			ddl.add("CREATE INDEX IF NOT EXISTS " + PgSchema.quote(table + "_t") + " ON " + q + " (t)");
			String values = "BEGIN INSERT INTO " + q + " (t, entries, bytes) VALUES (TG_TABLE_NAME, ";
			String newBytes = PgCounts.rowBytes(schema, "NEW");
			String oldBytes = PgCounts.rowBytes(schema, "OLD");
			ddl.add(fn + prefix + "row_inserted" + trigger + "'" + values + "1, " + newBytes + "); RETURN NULL; END'");
			// what was counted of the row: its bytes less its pending change
			ddl.add(fn + prefix + "row_deleted" + trigger + "'" + values + "-1, -(" + oldBytes
					+ ") + coalesce(OLD.d, 0)); RETURN NULL; END'");
			ddl.add(fn + prefix + "truncated" + trigger + "'BEGIN DELETE FROM " + q
					+ " WHERE t = TG_TABLE_NAME; RETURN NULL; END'");
		}
		return List.copyOf(ddl);
	}

	/**
	 * Return the DDL of a dict table's triggers.
	 * @param schema the schema
	 * @param table the dict's table
	 * @param unlogged whether the table is {@code UNLOGGED}
	 * @return the statements
	 */
	static List<String> triggerDdl(String schema, String table, boolean unlogged) {
		String q = PgSchema.qualified(schema, table);
		String f = PgSchema.quote(schema) + (unlogged ? ".pd_ucount_" : ".pd_count_");
		String create = "CREATE OR REPLACE TRIGGER ";
		String row = " FOR EACH ROW WHEN (" + COUNTED;
		return List.of(
				create + "pd_count_truncated AFTER TRUNCATE ON " + q + " FOR EACH STATEMENT EXECUTE FUNCTION " + f
						+ "truncated()",
				create + "pd_count_row_inserted AFTER INSERT ON " + q + row + ") EXECUTE FUNCTION " + f
						+ "row_inserted()",
				create + "pd_count_row_deleted AFTER DELETE ON " + q + row + ") EXECUTE FUNCTION " + f
						+ "row_deleted()");
	}

	/**
	 * Return the DDL of a dict table's column of pending changes and its index, which a
	 * table of schema version 5 or older lacks (adding the column rewrites nothing).
	 * @param schema the schema
	 * @param table the dict's table
	 * @return the statements
	 */
	static List<String> pendingDdl(String schema, String table) {
		return List.of(
				"ALTER TABLE " + PgSchema.qualified(schema, table) + " ADD COLUMN IF NOT EXISTS " + PgCounts.PENDING
						+ " integer",
				"CREATE INDEX IF NOT EXISTS " + PgSchema.quote(table + "_d") + " ON "
						+ PgSchema.qualified(schema, table) + " (" + PgCounts.PENDING + ") WHERE " + PgCounts.PENDING
						+ " IS NOT NULL");
	}

	/**
	 * Return the DDL that drops the count triggers of older schema versions from a dict
	 * table: the statement-level ones of versions 2 to 4, the update trigger of 3 to 5.
	 * @param schema the schema
	 * @param table the dict's table
	 * @return the statements
	 */
	static List<String> retiredTriggerDdl(String schema, String table) {
		String q = PgSchema.qualified(schema, table);
		return RETIRED.stream().map((trigger) -> "DROP TRIGGER IF EXISTS " + trigger + " ON " + q).toList();
	}

	/**
	 * Count a table once, replacing its delta rows and pending changes with the count.
	 * Run it in the transaction that created the table's triggers, which holds a lock
	 * that keeps writers out until it commits; it waits for a fold of the table to end.
	 * @param connection the connection, in a transaction
	 * @param schema the schema
	 * @param table the dict's table
	 * @param unlogged whether the table is {@code UNLOGGED}
	 * @throws SQLException on failure
	 */
	static void recount(Connection connection, String schema, String table, boolean unlogged) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
			lock.setInt(1, PgCounts.FOLD_LOCK);
			lock.setString(2, table);
			lock.execute();
		}
		try (PreparedStatement clear = connection.prepareStatement("UPDATE " + PgSchema.qualified(schema, table)
				+ " SET " + PgCounts.PENDING + " = NULL WHERE " + PgCounts.PENDING + " IS NOT NULL")) {
			clear.executeUpdate();
		}
		for (String counts : List.of(PgCounts.LOGGED, PgCounts.UNLOGGED)) {
			try (PreparedStatement delete = connection
				.prepareStatement("DELETE FROM " + PgSchema.qualified(schema, counts) + " WHERE t = ?")) {
				delete.setString(1, table);
				delete.executeUpdate();
			}
		}
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
				+ PgSchema.qualified(schema, unlogged ? PgCounts.UNLOGGED : PgCounts.LOGGED)
				+ " (t, entries, bytes) SELECT ?, count(*)," + " coalesce(sum(" + PgCounts.rowBytes(schema, null)
				+ "), 0) FROM " + PgSchema.qualified(schema, table) + " HAVING count(*) > 0")) {
			insert.setString(1, table);
			insert.executeUpdate();
		}
	}

	/**
	 * Return whether a table has this engine's count triggers.
	 * @param connection the connection
	 * @param schema the schema
	 * @param table the table
	 * @return whether all of {@link #TRIGGERS} are there
	 * @throws SQLException on failure
	 */
	static boolean hasTriggers(Connection connection, String schema, String table) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ANY(?)")) {
			statement.setString(1, PgSchema.qualified(schema, table));
			statement.setArray(2, connection.createArrayOf("text", TRIGGERS.toArray()));
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() && rs.getInt(1) == TRIGGERS.size();
			}
		}
	}

}
