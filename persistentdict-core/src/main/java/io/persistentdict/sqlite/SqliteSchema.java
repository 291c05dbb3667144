package io.persistentdict.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.PersistentDictException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * A store file's identity and schema: its {@code application_id}, its
 * {@code user_version} (the schema version), and setting up a new file.
 */
final class SqliteSchema {

	/** {@code PRAGMA application_id} of a persistentdict file: "PDic". */
	static final int APPLICATION_ID = 0x50446963;

	/**
	 * {@code PRAGMA user_version}: the schema version this code writes. Version 2 added
	 * {@code pd_counts} with its triggers on each dict's table and the catalog's bounds
	 * columns ({@link #migrateFromOne}), and the {@code SPLIT} layout
	 * ({@link #migrateToSplitLayout}); a version 1 file is migrated, both steps in one
	 * transaction, when opened for writing. Opened read-only, it is read as it is, and
	 * its totals are counted by scans. A version that reads only version 1 refuses a file
	 * of version 2 as newer than it understands.
	 */
	static final int VERSION = 2;

	private SqliteSchema() {
	}

	/**
	 * Look at an existing file through a plain read-only connection, before any
	 * connection that sets pragmas (WAL would rewrite the header of someone else's file)
	 * touches it.
	 * @param path the file
	 * @param url its JDBC URL
	 * @param options the options
	 */
	static void inspect(Path path, String url, StoreOptions options) {
		try {
			if (!Files.exists(path) || Files.size(path) == 0) {
				return;
			}
		}
		catch (IOException ex) {
			return;
		}
		SQLiteConfig config = new SQLiteConfig();
		config.setReadOnly(true);
		config.setBusyTimeout((int) options.busyTimeout().toMillis());
		try (Connection connection = config.createConnection(url); Statement statement = connection.createStatement()) {
			int applicationId = single(statement, "PRAGMA application_id");
			int version = single(statement, "PRAGMA user_version");
			List<String> tables = tables(statement);
			if (applicationId != APPLICATION_ID && !(applicationId == 0 && tables.isEmpty())) {
				throw foreign(path, path.toString(), applicationId, String.join(", ", tables));
			}
			if (version > VERSION) {
				throw newer(path, path.toString(), version);
			}
		}
		catch (SQLException ex) {
			throw SqliteErrors.openFailure(path, new PersistentDictException(String.valueOf(ex.getMessage()), ex));
		}
	}

	/**
	 * Check the file's application id and schema version; set up a new file.
	 * @param engine the engine, open on the file
	 */
	static void validate(SqliteEngine engine) {
		String[] state = engine.read((session) -> {
			try (Statement statement = SqliteSession.of(session).connection().createStatement()) {
				int applicationId = single(statement, "PRAGMA application_id");
				int version = single(statement, "PRAGMA user_version");
				// our own file needs no list of tables: that is only for a new or a
				// foreign one
				List<String> tables = (applicationId != APPLICATION_ID) ? tables(statement) : List.of();
				return new String[] { Integer.toString(applicationId), Integer.toString(version),
						String.join(", ", tables) };
			}
		}, null);
		int applicationId = Integer.parseInt(state[0]);
		int version = Integer.parseInt(state[1]);
		String tables = state[2];
		if (applicationId == 0 && tables.isEmpty()) {
			if (!engine.readOnly()) {
				initialize(engine);
			}
			return;
		}
		if (applicationId != APPLICATION_ID) {
			throw foreign(engine.path(), engine.errors().location(), applicationId, tables);
		}
		if (version > VERSION) {
			throw newer(engine.path(), engine.errors().location(), version);
		}
		if (version < VERSION) {
			if (engine.readOnly()) {
				// cannot migrate: read it as it is, counting by scans
				engine.countsNotKept();
				return;
			}
			initialize(engine);
		}
	}

	private static void initialize(SqliteEngine engine) {
		SqliteSession w = engine.writer();
		try {
			if (!engine.inMemory()) {
				// lets the file shrink without a full VACUUM. WAL mode has already
				// written the header, so the setting only takes with a VACUUM: instant
				// when empty
				try (Statement statement = w.connection().createStatement()) {
					if (single(statement, "PRAGMA auto_vacuum") != 2 && tables(statement).isEmpty()) {
						statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
						statement.execute("VACUUM");
					}
				}
			}
			engine.writes().exclusive((session) -> {
				SqliteSession connection = SqliteSession.of(session);
				try (Statement statement = connection.connection().createStatement()) {
					int from = single(statement, "PRAGMA user_version");
					if (from >= VERSION) {
						return null;
					}
					if (from == 1) {
						migrateFromOne(connection);
					}
					SqliteCatalog.createTables(connection);
					if (from >= 1) {
						migrate(statement, from);
					}
					statement.execute("PRAGMA application_id = " + APPLICATION_ID);
					statement.execute("PRAGMA user_version = " + VERSION);
				}
				return null;
			});
		}
		catch (SQLException ex) {
			throw engine.errors().translate(ex, "initialize");
		}
	}

	/**
	 * Migrate a schema 1 file, in the write transaction: add the catalog's bounds
	 * columns, and count each dict once into {@code pd_counts}, whose triggers then keep
	 * the counts.
	 */
	private static void migrateFromOne(SqliteSession writer) throws SQLException {
		List<String> dicts = new ArrayList<>();
		try (Statement statement = writer.connection().createStatement()) {
			for (String column : SqliteCatalog.BOUNDS_COLUMNS) {
				statement.execute("ALTER TABLE pd_catalog ADD COLUMN " + column);
			}
			statement.execute(SqliteCounts.CREATE);
			try (ResultSet rs = statement.executeQuery("SELECT namespace || ':' || name FROM pd_catalog")) {
				while (rs.next()) {
					dicts.add(rs.getString(1));
				}
			}
		}
		for (String dict : dicts) {
			// a version 1 file has only ROWID and COMPACT tables
			SqliteCounts.track(writer, dict, false);
		}
	}

	/**
	 * Bring an existing file's schema up to {@link #VERSION}, one step a version, in the
	 * transaction that then sets the new version.
	 * @param statement a statement of the write connection, in the transaction
	 * @param from the file's version, 1 or more
	 * @throws SQLException on failure, when the transaction rolls back and the file keeps
	 * its version
	 */
	private static void migrate(Statement statement, int from) throws SQLException {
		if (from < 2) {
			migrateToSplitLayout(statement);
		}
	}

	/**
	 * Version 1 to 2: the catalog may now name the {@code SPLIT} layout, whose dicts have
	 * a side table and triggers. The dicts a file already holds keep their layout
	 * ({@code ROWID} or {@code COMPACT}) and their tables as they are, so there is
	 * nothing to rewrite; the new version number is what makes a version 1 reader refuse
	 * the file, instead of failing on a layout it does not know.
	 * @param statement a statement of the write connection, in the transaction
	 */
	private static void migrateToSplitLayout(Statement statement) {
		// nothing to rewrite: see above
	}

	private static StoreOpenException foreign(@Nullable Path path, String location, int applicationId, String tables) {
		return new StoreOpenException(path, Reason.FOREIGN,
				"Store " + location + " is a SQLite database of another application (application_id "
						+ String.format("0x%08x", applicationId) + ", tables " + shorten(tables, 200)
						+ "); persistentdict will not touch it. Choose another path",
				null);
	}

	private static StoreOpenException newer(@Nullable Path path, String location, int version) {
		return new StoreOpenException(path, Reason.NEWER_SCHEMA,
				"Store " + location + " has schema version " + version + ", newer than this version of"
						+ " persistentdict understands (" + VERSION
						+ "); upgrade persistentdict, or open a copy with the version that wrote it",
				null);
	}

	private static String shorten(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
	}

	static int single(Statement statement, String sql) throws SQLException {
		try (ResultSet rs = statement.executeQuery(sql)) {
			return rs.next() ? rs.getInt(1) : 0;
		}
	}

	private static List<String> tables(Statement statement) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (ResultSet rs = statement
			.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
			while (rs.next()) {
				tables.add(rs.getString(1));
			}
		}
		return tables;
	}

}
