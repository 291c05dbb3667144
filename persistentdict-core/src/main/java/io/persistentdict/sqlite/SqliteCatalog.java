package io.persistentdict.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.Layout;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.CatalogStore;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;

/**
 * The catalog table: one row per dict, with its key type, value codec and settings, and a
 * small key-value table for the store's own bookkeeping (such as the next vacuum).
 */
final class SqliteCatalog implements CatalogStore {

	static final String CREATE = "CREATE TABLE IF NOT EXISTS pd_catalog (namespace TEXT NOT NULL, name TEXT NOT NULL,"
			+ " key_type TEXT NOT NULL, key_codec TEXT NOT NULL, value_type TEXT NOT NULL, value_codec TEXT NOT NULL,"
			+ " layout TEXT NOT NULL, ttl_ms INTEGER, sliding INTEGER NOT NULL, compression_threshold INTEGER NOT NULL,"
			+ " created_at INTEGER NOT NULL, maximum_size INTEGER, maximum_bytes INTEGER, eviction TEXT,"
			+ " PRIMARY KEY (namespace, name)) WITHOUT ROWID";

	/** The bounds' columns that schema 2 added: {@code NULL} for no bound. */
	static final String[] BOUNDS_COLUMNS = { "maximum_size INTEGER", "maximum_bytes INTEGER", "eviction TEXT" };

	static final String CREATE_META = "CREATE TABLE IF NOT EXISTS pd_meta (key TEXT NOT NULL PRIMARY KEY, value)"
			+ " WITHOUT ROWID";

	private static final String SELECT = "SELECT key_type, key_codec, value_type, value_codec, layout, ttl_ms, sliding,"
			+ " compression_threshold, maximum_size, maximum_bytes, eviction FROM pd_catalog WHERE namespace = ? AND name = ?";

	private final String location;

	/** Whether the file is of schema 1, read as it is: a catalog without the bounds. */
	private volatile boolean schemaOne;

	SqliteCatalog(String location) {
		this.location = location;
	}

	/** Read a schema 1 file, which has no bounds columns, as it is. */
	void readSchemaOne() {
		this.schemaOne = true;
	}

	private String bounds(String select) {
		return this.schemaOne ? select.replace("maximum_size, maximum_bytes, eviction", "NULL, NULL, NULL") : select;
	}

	static void createTables(SqliteSession writer) throws SQLException {
		try (Statement statement = writer.connection().createStatement()) {
			statement.execute(CREATE);
			statement.execute(CREATE_META);
			statement.execute(SqliteCounts.CREATE);
		}
	}

	private static long bound(ResultSet rs, int column) throws SQLException {
		long value = rs.getLong(column);
		return rs.wasNull() ? Long.MAX_VALUE : value;
	}

	private static String eviction(ResultSet rs, int column) throws SQLException {
		String value = rs.getString(column);
		return (value != null) ? value : CatalogEntry.DEFAULT_EVICTION;
	}

	private static void setBound(PreparedStatement statement, int parameter, long bound) throws SQLException {
		if (bound == Long.MAX_VALUE) {
			statement.setNull(parameter, java.sql.Types.INTEGER);
		}
		else {
			statement.setLong(parameter, bound);
		}
	}

	@Override
	public @Nullable CatalogEntry find(Session session, String namespace, String name) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare(bounds(SELECT));
		statement.setString(1, namespace);
		statement.setString(2, name);
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return null;
			}
			return new CatalogEntry(namespace, name, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getLong(6), rs.getInt(7) != 0, rs.getInt(8), bound(rs, 9), bound(rs, 10),
					eviction(rs, 11));
		}
	}

	@Override
	public List<CatalogEntry> all(Session session) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		List<CatalogEntry> entries = new ArrayList<>();
		PreparedStatement statement = connection
			.prepare(bounds("SELECT namespace, name, key_type, key_codec, value_type,"
					+ " value_codec, layout, ttl_ms, sliding, compression_threshold, maximum_size, maximum_bytes, eviction"
					+ " FROM pd_catalog ORDER BY namespace, name"));
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				entries.add(new CatalogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getInt(9) != 0,
						rs.getInt(10), bound(rs, 11), bound(rs, 12), eviction(rs, 13)));
			}
		}
		return entries;
	}

	@Override
	public void create(Session session, CatalogEntry entry, Layout layout, long now) throws SQLException {
		new SqliteTable(entry.qualifiedName(), layout, KeyKind.ANY, entry.bounded(), true)
			.create(SqliteSession.of(session));
		save(session, entry, now);
	}

	@Override
	public void save(Session session, CatalogEntry entry, long now) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		CatalogEntry before = find(session, entry.namespace(), entry.name());
		if (before != null && before.bounded() != entry.bounded()) {
			SqliteStamps.index(writer, entry.qualifiedName(), entry.bounded());
		}
		PreparedStatement statement = writer.prepare("INSERT INTO pd_catalog (namespace, name, key_type, key_codec,"
				+ " value_type, value_codec, layout, ttl_ms, sliding, compression_threshold, created_at, maximum_size,"
				+ " maximum_bytes, eviction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				+ " ON CONFLICT (namespace, name) DO UPDATE SET"
				+ " value_codec = excluded.value_codec, ttl_ms = excluded.ttl_ms, sliding = excluded.sliding,"
				+ " compression_threshold = excluded.compression_threshold, maximum_size = excluded.maximum_size,"
				+ " maximum_bytes = excluded.maximum_bytes, eviction = excluded.eviction");
		statement.setString(1, entry.namespace());
		statement.setString(2, entry.name());
		statement.setString(3, entry.keyType());
		statement.setString(4, entry.keyCodec());
		statement.setString(5, entry.valueType());
		statement.setString(6, entry.valueCodec());
		statement.setString(7, entry.layout());
		statement.setLong(8, entry.ttlMillis());
		statement.setInt(9, entry.sliding() ? 1 : 0);
		statement.setInt(10, entry.compressionThreshold());
		statement.setLong(11, now);
		setBound(statement, 12, entry.maximumSize());
		setBound(statement, 13, entry.maximumBytes());
		statement.setString(14, entry.eviction());
		statement.executeUpdate();
	}

	@Override
	public boolean drop(Session session, String namespace, String name) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		new SqliteTable(namespace + ":" + name, Layout.ROWID, KeyKind.ANY).drop(writer);
		PreparedStatement statement = writer.prepare("DELETE FROM pd_catalog WHERE namespace = ? AND name = ?");
		statement.setString(1, namespace);
		statement.setString(2, name);
		return statement.executeUpdate() > 0;
	}

	@Override
	public @Nullable Long meta(Session session, String key) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare("SELECT value FROM pd_meta WHERE key = ?");
		statement.setString(1, key);
		try (ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getLong(1) : null;
		}
	}

	@Override
	public void setMeta(Session session, String key, long value) throws SQLException {
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare(
				"INSERT INTO pd_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
		statement.setString(1, key);
		statement.setLong(2, value);
		statement.executeUpdate();
	}

}
