package io.persistentdict.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * The store's schema on PostgreSQL: a catalog table ({@code pd_catalog}, one row per
 * dict), a bookkeeping table ({@code pd_meta}, with the schema version), and one table
 * per dict, named {@code d_} and 32 hex digits of the SHA-256 of the dict's qualified
 * name, so that any dict name (spaces, quotes, 200 characters) has a valid identifier of
 * 34 characters, the same on every instance and across a drop.
 *
 * <p>
 * Creation runs in one transaction that first takes
 * {@code pg_advisory_xact_lock(SCHEMA_LOCK, hashtext(schema))}, with
 * {@code CREATE ... IF NOT EXISTS}: instances that start together wait for each other
 * instead of racing on the system catalogs. The same DDL, for the default schema, ships
 * as {@value #SCRIPT} for teams that manage their schema with Flyway or Liquibase.
 */
final class PgSchema {

	/**
	 * The schema version this code writes and reads: 2 added the deltas tables of
	 * {@link PgCounts} and each dict table's count triggers, 3 the row-level ones beside
	 * them, 4 the writers' check for a listener before they notify ({@link PgListeners}),
	 * 5 took the statement-level ones away (statements of many rows count themselves), 6
	 * the row-level update trigger (an overwrite keeps its change of bytes in the row's
	 * column {@code d}); an older schema is migrated (a table of version 1 counted once)
	 * when the store opens with schema creation on.
	 */
	static final int VERSION = 6;

	/** Where the DDL of the default schema ships, as a resource. */
	static final String SCRIPT = "META-INF/persistentdict/postgresql-schema.sql";

	/** The first key of the advisory lock that serializes DDL in a schema. */
	static final int SCHEMA_LOCK = 0x70645343;

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private PgSchema() {
	}

	/**
	 * Quote a validated identifier. Every identifier here is validated first; quoting is
	 * the second guard.
	 */
	static String quote(String identifier) {
		if (!IDENTIFIER.matcher(identifier).matches()) {
			throw new IllegalArgumentException("Not a valid identifier: '" + identifier + "'");
		}
		return "\"" + identifier + "\"";
	}

	static String qualified(String schema, String table) {
		return quote(schema) + "." + quote(table);
	}

	/**
	 * Return the generated table name of a dict.
	 * @param qualifiedName the dict's qualified name
	 * @return {@code d_} and 32 hex digits
	 */
	static String tableName(String qualifiedName) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(qualifiedName.getBytes(StandardCharsets.UTF_8));
			return "d_" + HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Return the DDL of a schema's catalog and bookkeeping tables.
	 * @param schema the schema
	 * @return the statements, in order
	 */
	static List<String> ddl(String schema) {
		List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA IF NOT EXISTS " + quote(schema),
				"CREATE TABLE IF NOT EXISTS " + qualified(schema, "pd_meta")
						+ " (key text COLLATE \"C\" NOT NULL PRIMARY KEY, value bigint)",
				"CREATE TABLE IF NOT EXISTS " + qualified(schema, "pd_catalog")
						+ " (namespace text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL,"
						+ " key_type text NOT NULL, key_codec text NOT NULL, key_kind text NOT NULL,"
						+ " value_type text NOT NULL, value_codec text NOT NULL, layout text NOT NULL, ttl_ms bigint,"
						+ " sliding boolean NOT NULL, compression_threshold integer NOT NULL,"
						+ " table_name text NOT NULL UNIQUE, created_at bigint NOT NULL, maximum_size bigint,"
						+ " maximum_bytes bigint, eviction text, PRIMARY KEY (namespace, name))"));
		ddl.addAll(PgCountsDdl.ddl(schema));
		ddl.add("INSERT INTO " + qualified(schema, "pd_meta") + " (key, value) VALUES ('schema_version', " + VERSION
				+ ") ON CONFLICT (key) DO NOTHING");
		return List.copyOf(ddl);
	}

	/**
	 * Return the DDL of one dict's table.
	 * @param schema the schema
	 * @param table the table's generated name
	 * @param keys its kind of keys
	 * @param unlogged whether it is {@code UNLOGGED}
	 * @return the statements, in order
	 */
	static List<String> tableDdl(String schema, String table, PgKeys keys, boolean unlogged) {
		List<String> ddl = new ArrayList<>(List.of(
				"CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE IF NOT EXISTS " + qualified(schema, table) + " (k "
						+ keys.columnType() + " NOT NULL PRIMARY KEY, v bytea NOT NULL, x bigint)",
				"CREATE INDEX IF NOT EXISTS " + quote(table + "_x") + " ON " + qualified(schema, table)
						+ " (x) WHERE x IS NOT NULL"));
		// the column of pending changes is added, so that a table left by a dropped
		// catalog entry of an older version gets it too
		ddl.addAll(PgCountsDdl.pendingDdl(schema, table));
		ddl.addAll(PgCountsDdl.triggerDdl(schema, table, unlogged));
		return List.copyOf(ddl);
	}

	/**
	 * Return the DDL that gives a bounded dict's table its order stamps: a column
	 * {@code s} (existing rows keep {@code NULL}, so no rewrite), a sequence that fills
	 * it on every insert and upsert, and an index in eviction order.
	 * @param schema the schema
	 * @param table the table
	 * @return the statements, in order
	 */
	static List<String> stampDdl(String schema, String table) {
		String q = qualified(schema, table);
		String sequence = qualified(schema, sequenceName(table));
		return List.of("ALTER TABLE " + q + " ADD COLUMN IF NOT EXISTS s bigint",
				"CREATE SEQUENCE IF NOT EXISTS " + sequence + " OWNED BY " + q + ".s",
				"ALTER TABLE " + q + " ALTER COLUMN s SET DEFAULT nextval('" + sequence + "')",
				"CREATE INDEX IF NOT EXISTS " + quote(table + "_s") + " ON " + q + " (s NULLS FIRST)");
	}

	/**
	 * Return the DDL that stops keeping a table's stamps: its index and the column's
	 * default go; the column, its values and the sequence stay.
	 * @param schema the schema
	 * @param table the table
	 * @return the statements, in order
	 */
	static List<String> unstampDdl(String schema, String table) {
		return List.of("DROP INDEX IF EXISTS " + qualified(schema, table + "_s"),
				"ALTER TABLE " + qualified(schema, table) + " ALTER COLUMN s DROP DEFAULT");
	}

	/**
	 * Return the name of a table's stamp sequence.
	 * @param table the table
	 * @return the sequence, unquoted
	 */
	static String sequenceName(String table) {
		return table + "_seq";
	}

	/**
	 * Return whether a table keeps order stamps: its column {@code s} has its default.
	 * @param connection the connection
	 * @param schema the schema
	 * @param table the table
	 * @return whether it does
	 * @throws SQLException on failure
	 */
	static boolean hasStamps(Connection connection, String schema, String table) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute a"
				+ " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
				+ " WHERE a.attrelid = to_regclass(?) AND a.attname = 's' AND NOT a.attisdropped")) {
			statement.setString(1, qualified(schema, table));
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() && rs.getInt(1) > 0;
			}
		}
	}

	/**
	 * Return the script for a schema, as it ships for the default one.
	 * @param schema the schema
	 * @return the script
	 */
	static String script(String schema) {
		StringBuilder script = new StringBuilder();
		script.append("-- persistentdict ")
			.append(VERSION)
			.append(": the catalog of the PostgreSQL engine, schema ")
			.append(schema)
			.append(".\n-- Each dict's table is created when the dict is first opened, or by the DDL that the\n")
			.append("-- error of a store opened with createSchema(false) gives. The functions' bodies are\n")
			.append("-- single-quoted, so a runner that splits the script at ';' (Spring's) keeps them whole.\n");
		for (String statement : ddl(schema)) {
			script.append(statement).append(";\n");
		}
		return script.toString();
	}

	/**
	 * Check the schema, creating it first if it is missing and creation is on.
	 * @param connection a connection in autocommit
	 * @param schema the schema
	 * @param create whether to create what is missing
	 * @param location the store, for messages
	 * @throws SQLException on failure
	 */
	static void prepare(Connection connection, String schema, boolean create, String location) throws SQLException {
		Long version = version(connection, schema);
		if (version == null || version < VERSION) {
			if (!create) {
				String problem = (version == null) ? "has no persistentdict tables in schema '" + schema + "'"
						: "has schema version " + version + " in schema '" + schema
								+ "', and this persistentdict needs " + VERSION;
				throw new StoreOpenException(null, Reason.NO_SCHEMA, "Store " + location + " " + problem
						+ ", and createSchema is off (or the store is open read-only): "
						+ ((version == null)
								? "apply " + SCRIPT + " (with the schema name changed if it is not the default)"
										+ ", or turn createSchema on"
								: "open it once for writing with createSchema on, which migrates the schema in one transaction"
										+ " (it gives every dict table this version's count triggers and column, and counts a table of version 1 once)"),
						null);
			}
			for (int attempt = 1;; attempt++) {
				try {
					createOrMigrate(connection, schema);
					break;
				}
				catch (SQLException ex) {
					// another instance created it while this one waited for the lock, and
					// this transaction's catalog caches did not see it yet (a new one
					// does), or a deadlock chose this one: run it again
					if (attempt == 5 || !RACED.contains(String.valueOf(PgErrors.state(ex)))) {
						throw ex;
					}
				}
			}
			version = version(connection, schema);
		}
		if (version != null && version > VERSION) {
			throw new StoreOpenException(null, Reason.NEWER_SCHEMA,
					"Store " + location + " was written by a newer version of persistentdict (schema version " + version
							+ "; this one knows " + VERSION + "): upgrade persistentdict on this instance",
					null);
		}
	}

	/**
	 * The states of DDL that raced with another instance's: a unique violation or a
	 * duplicate object (its catalog caches had not seen the other's commit yet), or a
	 * deadlock with another instance's transaction (one that opens a dict, or one of an
	 * older version during a migration).
	 */
	private static final List<String> RACED = List.of("23505", "42P06", "42P07", "42710", "42723", "40P01");

	/**
	 * Create the schema, or migrate it from version 1, in one transaction under the
	 * schema's DDL lock.
	 */
	private static void createOrMigrate(Connection connection, String schema) throws SQLException {
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			lock(connection, schema);
			Long locked = version(connection, schema);
			if (locked == null || locked < VERSION) {
				for (String ddl : ddl(schema)) {
					statement.execute(ddl);
				}
				if (locked != null) {
					migrate(connection, schema, locked);
				}
			}
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
	}

	/**
	 * Migrate a schema of an older version, in the caller's transaction, after the
	 * schema's DDL: from a version before 4, raise the row that makes writers notify;
	 * give every dict table this version's count triggers and its column of pending
	 * changes, and count a table of version 1 (which had none) once. Changing the
	 * triggers locks each table against writers until the commit, so each count is exact,
	 * and a table of version 2 to 5 keeps its deltas: its old triggers counted every
	 * write until the new ones replace them. Instances of version 4 that still run are
	 * counted exactly by the new triggers too: what their statement-level triggers
	 * counted, the row-level ones count now. Instances of version 5 that still run are
	 * counted too, but for the change of bytes of their overwrites of another length,
	 * which they do not keep in the row: the docs say to upgrade every instance from
	 * version 5 before byte bounds matter, or to stop them for the migration.
	 */
	private static void migrate(Connection connection, String schema, long from) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			if (from < 4) {
				// instances of an older version listen without saying so, and may run
				// on: every writer keeps notifying, as they all did
				statement.execute(PgListeners.raiseSql(schema));
			}
			migrateTables(connection, schema, from);
			statement.execute("UPDATE " + qualified(schema, "pd_meta") + " SET value = " + VERSION
					+ " WHERE key = 'schema_version'");
		}
	}

	/**
	 * Give every dict table of an older schema this version's count triggers and column
	 * of pending changes (and, before version 3, the catalog its bounds' columns),
	 * counting a table of version 1 once.
	 */
	private static void migrateTables(Connection connection, String schema, long from) throws SQLException {
		List<String[]> tables = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT c.table_name, cl.relpersistence = 'u'"
				+ " FROM " + qualified(schema, "pd_catalog") + " c JOIN pg_class cl"
				+ " ON cl.oid = to_regclass(quote_ident(?) || '.' || quote_ident(c.table_name)) ORDER BY c.table_name")) {
			statement.setString(1, schema);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					tables.add(new String[] { rs.getString(1), String.valueOf(rs.getBoolean(2)) });
				}
			}
		}
		try (Statement statement = connection.createStatement()) {
			if (from < 3) {
				// the bounds came with version 2 (NULL: none). Only here: ALTER TABLE
				// locks the catalog against every reader until the commit
				for (String column : List.of("maximum_size bigint", "maximum_bytes bigint", "eviction text")) {
					statement.execute(
							"ALTER TABLE " + qualified(schema, "pd_catalog") + " ADD COLUMN IF NOT EXISTS " + column);
				}
			}
			for (String[] table : tables) {
				boolean unlogged = Boolean.parseBoolean(table[1]);
				List<String> ddl = new ArrayList<>(PgCountsDdl.retiredTriggerDdl(schema, table[0]));
				ddl.addAll(PgCountsDdl.pendingDdl(schema, table[0]));
				ddl.addAll(PgCountsDdl.triggerDdl(schema, table[0], unlogged));
				for (String sql : ddl) {
					statement.execute(sql);
				}
				if (from < 2) {
					PgCountsDdl.recount(connection, schema, table[0], unlogged);
				}
			}
		}
	}

	/** Take the schema's DDL lock, until the transaction ends. */
	static void lock(Connection connection, String schema) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
			statement.setInt(1, SCHEMA_LOCK);
			statement.setString(2, schema);
			statement.execute();
		}
	}

	private static @Nullable Long version(Connection connection, String schema) throws SQLException {
		if (!exists(connection, schema, "pd_meta") || !exists(connection, schema, "pd_catalog")) {
			return null;
		}
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT value FROM " + qualified(schema, "pd_meta") + " WHERE key = 'schema_version'")) {
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getLong(1) : null;
			}
		}
	}

	/**
	 * Return whether a table exists.
	 * @param connection the connection
	 * @param schema the schema
	 * @param table the table
	 * @return whether it does
	 * @throws SQLException on failure
	 */
	static boolean exists(Connection connection, String schema, String table) throws SQLException {
		// a scan of the catalog with the statement's snapshot, which sees a table that
		// another transaction committed while this one waited for the lock
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
					+ " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?)")) {
			statement.setString(1, schema);
			statement.setString(2, table);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() && rs.getBoolean(1);
			}
		}
	}

}
