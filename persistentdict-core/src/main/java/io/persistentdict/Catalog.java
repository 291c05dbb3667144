package io.persistentdict;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The catalog table: one row per dict, with its key type, value codec and settings, and a
 * small key-value table for the store's own bookkeeping (such as the next vacuum).
 */
final class Catalog {

	static final String CREATE = "CREATE TABLE IF NOT EXISTS pd_catalog (namespace TEXT NOT NULL, name TEXT NOT NULL,"
			+ " key_type TEXT NOT NULL, key_codec TEXT NOT NULL, value_type TEXT NOT NULL, value_codec TEXT NOT NULL,"
			+ " layout TEXT NOT NULL, ttl_ms INTEGER, sliding INTEGER NOT NULL, compression_threshold INTEGER NOT NULL,"
			+ " created_at INTEGER NOT NULL, PRIMARY KEY (namespace, name)) WITHOUT ROWID";

	static final String CREATE_META = "CREATE TABLE IF NOT EXISTS pd_meta (key TEXT NOT NULL PRIMARY KEY, value)"
			+ " WITHOUT ROWID";

	private static final String SELECT = "SELECT key_type, key_codec, value_type, value_codec, layout, ttl_ms, sliding,"
			+ " compression_threshold FROM pd_catalog WHERE namespace = ? AND name = ?";

	/** What the catalog records of a dict. */
	record Entry(String namespace, String name, String keyType, String keyCodec, String valueType, String valueCodec,
			String layout, long ttlMillis, boolean sliding, int compressionThreshold) {

		String qualifiedName() {
			return this.namespace + ":" + this.name;
		}

	}

	private Catalog() {
	}

	static void create(ConnState writer) throws SQLException {
		try (Statement statement = writer.connection().createStatement()) {
			statement.execute(CREATE);
			statement.execute(CREATE_META);
		}
	}

	static @Nullable Entry find(ConnState connection, String namespace, String name) throws SQLException {
		PreparedStatement statement = connection.prepare(SELECT);
		statement.setString(1, namespace);
		statement.setString(2, name);
		try (ResultSet rs = statement.executeQuery()) {
			if (!rs.next()) {
				return null;
			}
			return new Entry(namespace, name, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getLong(6), rs.getInt(7) != 0, rs.getInt(8));
		}
	}

	static List<Entry> all(ConnState connection) throws SQLException {
		List<Entry> entries = new ArrayList<>();
		PreparedStatement statement = connection.prepare("SELECT namespace, name, key_type, key_codec, value_type,"
				+ " value_codec, layout, ttl_ms, sliding, compression_threshold FROM pd_catalog"
				+ " ORDER BY namespace, name");
		try (ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				entries
					.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
							rs.getString(6), rs.getString(7), rs.getLong(8), rs.getInt(9) != 0, rs.getInt(10)));
			}
		}
		return entries;
	}

	static void save(ConnState writer, Entry entry, long now) throws SQLException {
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

	static boolean delete(ConnState writer, String namespace, String name) throws SQLException {
		PreparedStatement statement = writer.prepare("DELETE FROM pd_catalog WHERE namespace = ? AND name = ?");
		statement.setString(1, namespace);
		statement.setString(2, name);
		return statement.executeUpdate() > 0;
	}

	static @Nullable Long meta(ConnState connection, String key) throws SQLException {
		PreparedStatement statement = connection.prepare("SELECT value FROM pd_meta WHERE key = ?");
		statement.setString(1, key);
		try (ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getLong(1) : null;
		}
	}

	static void setMeta(ConnState writer, String key, long value) throws SQLException {
		PreparedStatement statement = writer.prepare(
				"INSERT INTO pd_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
		statement.setString(1, key);
		statement.setLong(2, value);
		statement.executeUpdate();
	}

}
