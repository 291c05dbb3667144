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
			+ " created_at INTEGER NOT NULL, PRIMARY KEY (namespace, name)) WITHOUT ROWID";

	static final String CREATE_META = "CREATE TABLE IF NOT EXISTS pd_meta (key TEXT NOT NULL PRIMARY KEY, value)"
			+ " WITHOUT ROWID";

	private static final String SELECT = "SELECT key_type, key_codec, value_type, value_codec, layout, ttl_ms, sliding,"
			+ " compression_threshold FROM pd_catalog WHERE namespace = ? AND name = ?";

	private final String location;

	SqliteCatalog(String location) {
		this.location = location;
	}

	static void createTables(SqliteSession writer) throws SQLException {
		try (Statement statement = writer.connection().createStatement()) {
			statement.execute(CREATE);
			statement.execute(CREATE_META);
		}
	}

	@Override
	public @Nullable CatalogEntry find(Session session, String namespace, String name) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		PreparedStatement statement = connection.prepare(SELECT);
		statement.setString(1, namespace);
		statement.setString(2, name);
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return null;
			}
			return new CatalogEntry(namespace, name, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getLong(6), rs.getInt(7) != 0, rs.getInt(8));
		}
	}

	@Override
	public List<CatalogEntry> all(Session session) throws SQLException {
		SqliteSession connection = SqliteSession.of(session);
		List<CatalogEntry> entries = new ArrayList<>();
		PreparedStatement statement = connection.prepare("SELECT namespace, name, key_type, key_codec, value_type,"
				+ " value_codec, layout, ttl_ms, sliding, compression_threshold FROM pd_catalog"
				+ " ORDER BY namespace, name");
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				entries.add(new CatalogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getInt(9) != 0,
						rs.getInt(10)));
			}
		}
		return entries;
	}

	/**
	 * Refuse a bounded dict, until this engine enforces bounds.
	 * @param qualifiedName the dict
	 * @param location the store
	 * @return the error
	 */
	static IllegalArgumentException unbounded(String qualifiedName, String location) {
		return new IllegalArgumentException("Dict '" + qualifiedName + "' in store " + location
				+ " asks for a maximum size or maximum bytes, which this version does not enforce yet;"
				+ " open it without withMaximumSize/withMaximumBytes");
	}

	@Override
	public void create(Session session, CatalogEntry entry, Layout layout, long now) throws SQLException {
		if (entry.bounded()) {
			throw unbounded(entry.qualifiedName(), this.location);
		}
		new SqliteTable(entry.qualifiedName(), layout, KeyKind.ANY).create(SqliteSession.of(session));
		save(session, entry, now);
	}

	@Override
	public void save(Session session, CatalogEntry entry, long now) throws SQLException {
		if (entry.bounded()) {
			throw unbounded(entry.qualifiedName(), this.location);
		}
		SqliteSession writer = SqliteSession.of(session);
		PreparedStatement statement = writer.prepare("INSERT INTO pd_catalog (namespace, name, key_type, key_codec,"
				+ " value_type, value_codec, layout, ttl_ms, sliding, compression_threshold, created_at)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, name) DO UPDATE SET"
				+ " value_codec = excluded.value_codec, ttl_ms = excluded.ttl_ms, sliding = excluded.sliding,"
				+ " compression_threshold = excluded.compression_threshold");
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
