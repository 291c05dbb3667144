package io.persistentdict.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import io.persistentdict.Layout;
import io.persistentdict.PersistentDictException;
import io.persistentdict.engine.CatalogEntry;
import io.persistentdict.engine.CatalogStore;
import io.persistentdict.engine.Session;
import org.jspecify.annotations.Nullable;

/**
 * The catalog table, {@code pd_catalog}, and the bookkeeping table, {@code pd_meta}. A
 * dict's table is created (or dropped) in the transaction that enters it in the catalog,
 * after the schema's DDL lock, so two instances opening a new dict at once do not race:
 * the second waits, then finds the first's entry when its transaction runs again.
 */
final class PgCatalog implements CatalogStore {

	private static final String COLUMNS = "key_type, key_codec, value_type, value_codec, layout, ttl_ms, sliding,"
			+ " compression_threshold, maximum_size, maximum_bytes, eviction";

	private final String schema;

	private final boolean create;

	private final boolean unloggedCaches;

	private final String find;

	private final String all;

	private final String save;

	private final String delete;

	private final String meta;

	private final String setMeta;

	private final String location;

	PgCatalog(String schema, boolean create, boolean unloggedCaches, String location) {
		this.location = location;
		this.schema = schema;
		this.create = create;
		this.unloggedCaches = unloggedCaches;
		String catalog = PgSchema.qualified(schema, "pd_catalog");
		String metaTable = PgSchema.qualified(schema, "pd_meta");
		this.find = "SELECT " + COLUMNS + " FROM " + catalog + " WHERE namespace = ? AND name = ?";
		this.all = "SELECT namespace, name, " + COLUMNS + " FROM " + catalog + " ORDER BY namespace, name";
		this.save = "INSERT INTO " + catalog + " (namespace, name, key_type, key_codec, value_type, value_codec,"
				+ " layout, ttl_ms, sliding, compression_threshold, key_kind, table_name, created_at, maximum_size,"
				+ " maximum_bytes, eviction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				+ " ON CONFLICT (namespace, name) DO UPDATE SET value_codec = excluded.value_codec,"
				+ " ttl_ms = excluded.ttl_ms, sliding = excluded.sliding,"
				+ " compression_threshold = excluded.compression_threshold, maximum_size = excluded.maximum_size,"
				+ " maximum_bytes = excluded.maximum_bytes, eviction = excluded.eviction";
		this.delete = "DELETE FROM " + catalog + " WHERE namespace = ? AND name = ?";
		this.meta = "SELECT value FROM " + metaTable + " WHERE key = ?";
		this.setMeta = "INSERT INTO " + metaTable
				+ " (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	}

	@Override
	public @Nullable CatalogEntry find(Session session, String namespace, String name) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.find);
		statement.setString(1, namespace);
		statement.setString(2, name);
		try (ResultSet rs = s.query(statement, namespace + ":" + name)) {
			if (!rs.next()) {
				return null;
			}
			return new CatalogEntry(namespace, name, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getLong(6), rs.getBoolean(7), rs.getInt(8), bound(rs, 9), bound(rs, 10),
					eviction(rs.getString(11)));
		}
	}

	@Override
	public List<CatalogEntry> all(Session session) throws SQLException {
		PgSession s = PgSession.of(session);
		List<CatalogEntry> entries = new ArrayList<>();
		try (ResultSet rs = s.prepare(this.all).executeQuery()) {
			while (rs.next()) {
				entries.add(new CatalogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getBoolean(9),
						rs.getInt(10), bound(rs, 11), bound(rs, 12), eviction(rs.getString(13))));
			}
		}
		return entries;
	}

	/** A bound as stored: {@code NULL} for none. */
	private static long bound(ResultSet rs, int column) throws SQLException {
		long value = rs.getLong(column);
		return rs.wasNull() ? Long.MAX_VALUE : value;
	}

	private static String eviction(@Nullable String stored) {
		return (stored != null) ? stored : CatalogEntry.DEFAULT_EVICTION;
	}

	private static void setBound(PreparedStatement statement, int index, long bound) throws SQLException {
		if (bound == Long.MAX_VALUE) {
			statement.setNull(index, Types.BIGINT);
		}
		else {
			statement.setLong(index, bound);
		}
	}

	@Override
	public void create(Session session, CatalogEntry entry, Layout layout, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		String table = PgSchema.tableName(entry.qualifiedName());
		PgKeys keys = PgKeys.ofCodec(entry.keyCodec());
		boolean unlogged = this.unloggedCaches && entry.namespace().equals("cache");
		List<String> ddl = new ArrayList<>(PgSchema.tableDdl(this.schema, table, keys, unlogged));
		if (entry.bounded()) {
			ddl.addAll(PgSchema.stampDdl(this.schema, table));
		}
		if (this.create) {
			PgSchema.lock(s.connection(), this.schema);
			try {
				// a table left by a dropped catalog entry of an older schema version may
				// still carry the triggers that version had
				if (PgSchema.exists(s.connection(), this.schema, table)) {
					ddl.addAll(PgCountsDdl.retiredTriggerDdl(this.schema, table));
				}
				for (String statement : ddl) {
					s.execute(statement);
				}
			}
			catch (SQLException ex) {
				// a user without CREATE on the schema: the message names the new dict
				throw PgErrors.inDict(ex, entry.qualifiedName());
			}
			// new, or left by a dropped catalog entry: either way counted in this
			// transaction, which the triggers' DDL keeps writers out of
			PgCountsDdl.recount(s.connection(), this.schema, table, unlogged);
		}
		else if (!PgSchema.exists(s.connection(), this.schema, table)
				|| !PgCountsDdl.hasTriggers(s.connection(), this.schema, table)) {
			throw new PersistentDictException("Dict '" + entry.qualifiedName() + "' does not exist in schema '"
					+ this.schema + "' (or its table lacks the count triggers), and the store was opened with"
					+ " createSchema(false), so it does not create tables: add this DDL to your migrations, then open"
					+ " the dict again: " + String.join("; ", ddl) + ";");
		}
		save(session, entry, now);
	}

	/**
	 * Give a bounded dict's table its order stamps (a column, a sequence that fills it on
	 * every write, and an index), or take an unbounded one's index and default away, so
	 * that its writes stop paying for them; its rows keep the column and their stamps.
	 * Without schema creation, check that a bounded dict's table has them.
	 */
	private void stamps(PgSession s, CatalogEntry entry) throws SQLException {
		String table = PgSchema.tableName(entry.qualifiedName());
		boolean stamped = PgSchema.hasStamps(s.connection(), this.schema, table);
		if (!this.create) {
			if (entry.bounded() && !stamped) {
				throw new PersistentDictException("Dict '" + entry.qualifiedName() + "' in store " + this.location
						+ " is bounded, and its table keeps no order stamps; the store was opened with"
						+ " createSchema(false), so it does not change tables: add this DDL to your migrations, then"
						+ " open the dict again: " + String.join("; ", PgSchema.stampDdl(this.schema, table)) + ";");
			}
			return;
		}
		if (entry.bounded() && !stamped) {
			PgSchema.lock(s.connection(), this.schema);
			for (String statement : PgSchema.stampDdl(this.schema, table)) {
				s.execute(statement);
			}
		}
		else if (!entry.bounded() && stamped) {
			PgSchema.lock(s.connection(), this.schema);
			for (String statement : PgSchema.unstampDdl(this.schema, table)) {
				s.execute(statement);
			}
		}
	}

	@Override
	public void save(Session session, CatalogEntry entry, long now) throws SQLException {
		PgSession s = PgSession.of(session);
		stamps(s, entry);
		PreparedStatement statement = s.prepare(this.save);
		statement.setString(1, entry.namespace());
		statement.setString(2, entry.name());
		statement.setString(3, entry.keyType());
		statement.setString(4, entry.keyCodec());
		statement.setString(5, entry.valueType());
		statement.setString(6, entry.valueCodec());
		statement.setString(7, entry.layout());
		statement.setLong(8, entry.ttlMillis());
		statement.setBoolean(9, entry.sliding());
		statement.setInt(10, entry.compressionThreshold());
		statement.setString(11, PgKeys.ofCodec(entry.keyCodec()).name());
		statement.setString(12, PgSchema.tableName(entry.qualifiedName()));
		statement.setLong(13, now);
		setBound(statement, 14, entry.maximumSize());
		setBound(statement, 15, entry.maximumBytes());
		statement.setString(16, entry.eviction());
		s.update(statement, entry.qualifiedName());
	}

	@Override
	public boolean drop(Session session, String namespace, String name) throws SQLException {
		PgSession s = PgSession.of(session);
		String qualified = namespace + ":" + name;
		String table = PgSchema.tableName(qualified);
		s.wroteAll(table);
		if (this.create) {
			PgSchema.lock(s.connection(), this.schema);
			s.execute("DROP TABLE IF EXISTS " + PgSchema.qualified(this.schema, table));
			for (String counts : List.of(PgCounts.LOGGED, PgCounts.UNLOGGED)) {
				PreparedStatement statement = s
					.prepare("DELETE FROM " + PgSchema.qualified(this.schema, counts) + " WHERE t = ?");
				statement.setString(1, table);
				s.update(statement, qualified);
			}
		}
		else if (PgSchema.exists(s.connection(), this.schema, table)) {
			// tables belong to the team's migrations: empty it, keep it
			s.execute("DELETE FROM " + PgSchema.qualified(this.schema, table));
		}
		PreparedStatement statement = s.prepare(this.delete);
		statement.setString(1, namespace);
		statement.setString(2, name);
		return s.update(statement, qualified) > 0;
	}

	@Override
	public @Nullable Long meta(Session session, String key) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.meta);
		statement.setString(1, key);
		try (ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getLong(1) : null;
		}
	}

	@Override
	public void setMeta(Session session, String key, long value) throws SQLException {
		PgSession s = PgSession.of(session);
		PreparedStatement statement = s.prepare(this.setMeta);
		statement.setString(1, key);
		statement.setLong(2, value);
		s.update(statement, "meta");
	}

}
