package io.persistentdict.benchmarks.peers;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL baseline: raw pgjdbc as a careful user would write it, with the engine's
 * SQL shape. The same table as a dict's ({@code k text COLLATE "C" PRIMARY KEY, v bytea,
 * x bigint} and the partial index on {@code x}), one connection per thread held for the
 * whole run (no pool to borrow from), prepared statements kept per connection, the
 * server's {@code synchronous_commit} (on). {@code get} is {@code SELECT v, x ... WHERE k
 * = ?}; {@code set} one {@code INSERT ... ON CONFLICT (k) DO UPDATE} in autocommit;
 * {@code put} returning the previous value a transaction of that read and that write at
 * {@code REPEATABLE READ} (on a second connection of the thread's, set once, so each
 * transaction costs three round trips: {@code BEGIN} with the read, the write, the
 * commit). {@code putAll} is one transaction of multi-row {@code unnest} upserts of
 * {@value #CHUNK} rows, or, for the {@code copy} variant, {@code COPY} into a temporary
 * table and one upsert from it.
 */
final class RawPgKv implements Kv {

	private static final int CHUNK = 10_000;

	private static final String UPSERT_SET = " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x";

	private final PgDatabase database;

	private final boolean copy;

	private final InstantSource clock;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Link> link = ThreadLocal.withInitial(() -> newLink(false));

	/**
	 * For put returning the previous value: a connection of its own at REPEATABLE READ.
	 */
	private final ThreadLocal<Link> repeatableRead = ThreadLocal.withInitial(() -> newLink(true));

	RawPgKv(Peer.Config config, boolean copy) {
		this.copy = copy;
		this.clock = config.clock();
		this.database = PgDatabase.create();
		try (Connection connection = this.database.connect(); Statement statement = connection.createStatement()) {
			statement.execute(
					"CREATE TABLE bench (k text COLLATE \"C\" NOT NULL PRIMARY KEY, v bytea NOT NULL," + " x bigint)");
			statement.execute("CREATE INDEX bench_x ON bench (x) WHERE x IS NOT NULL");
		}
		catch (SQLException ex) {
			this.database.close();
			throw new IllegalStateException(ex);
		}
	}

	private Link newLink(boolean repeatableRead) {
		try {
			Link created = new Link(this.database.connect(), repeatableRead);
			this.links.add(created);
			return created;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void put(String key, byte[] value) {
		try {
			this.link.get().upsert(key, value);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public byte @Nullable [] putReturning(String key, byte[] value) {
		Link l = this.repeatableRead.get();
		try {
			l.connection.setAutoCommit(false);
			byte[] previous = l.read(key, this.clock.millis());
			l.upsert(key, value);
			l.connection.commit();
			l.connection.setAutoCommit(true);
			return previous;
		}
		catch (SQLException ex) {
			try {
				l.connection.rollback();
				l.connection.setAutoCommit(true);
			}
			catch (SQLException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public byte @Nullable [] get(String key) {
		try {
			return this.link.get().read(key, this.clock.millis());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		Link l = this.link.get();
		try {
			l.connection.setAutoCommit(false);
			if (this.copy) {
				l.copy(entries);
			}
			else {
				l.unnest(entries);
			}
			l.connection.commit();
			l.connection.setAutoCommit(true);
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long iterate() {
		try (Statement statement = this.link.get().connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT k, v FROM bench")) {
			long sum = 0;
			while (rs.next()) {
				sum += rs.getString(1).length() + rs.getBytes(2).length;
			}
			return sum;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long size() {
		try (Statement statement = this.link.get().connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM bench")) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		try {
			for (Link l : this.links) {
				l.connection.close();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			this.database.close();
		}
	}

	/** One thread's connection and its prepared statements. */
	private static final class Link {

		final Connection connection;

		private final PreparedStatement get;

		private final PreparedStatement upsert;

		private final PreparedStatement upsertMany;

		Link(Connection connection, boolean repeatableRead) throws SQLException {
			this.connection = connection;
			if (repeatableRead) {
				// once per connection: SET SESSION CHARACTERISTICS, not a statement per
				// transaction; only put's connection, since concurrent autocommit
				// upserts of one key at REPEATABLE READ fail with 40001
				connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			}
			this.get = connection.prepareStatement("SELECT v, x FROM bench WHERE k = ?");
			this.upsert = connection.prepareStatement("INSERT INTO bench (k, v, x) VALUES (?, ?, ?)" + UPSERT_SET);
			this.upsert.setNull(3, Types.BIGINT);
			this.upsertMany = connection.prepareStatement("INSERT INTO bench (k, v, x) SELECT * FROM"
					+ " unnest(?::text[], ?::bytea[], ?::int8[])" + UPSERT_SET);
		}

		byte @Nullable [] read(String key, long now) throws SQLException {
			this.get.setString(1, key);
			try (ResultSet rs = this.get.executeQuery()) {
				if (!rs.next()) {
					return null;
				}
				byte[] value = rs.getBytes(1);
				long expiresAt = rs.getLong(2);
				return (rs.wasNull() || expiresAt > now) ? value : null;
			}
		}

		void upsert(String key, byte[] value) throws SQLException {
			this.upsert.setString(1, key);
			this.upsert.setBytes(2, value);
			this.upsert.executeUpdate();
		}

		void unnest(Map<String, byte[]> entries) throws SQLException {
			List<String> keys = new ArrayList<>(CHUNK);
			List<byte[]> values = new ArrayList<>(CHUNK);
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				keys.add(entry.getKey());
				values.add(entry.getValue());
				if (keys.size() == CHUNK) {
					unnestChunk(keys, values);
				}
			}
			if (!keys.isEmpty()) {
				unnestChunk(keys, values);
			}
		}

		private void unnestChunk(List<String> keys, List<byte[]> values) throws SQLException {
			this.upsertMany.setArray(1, this.connection.createArrayOf("text", keys.toArray()));
			this.upsertMany.setArray(2, this.connection.createArrayOf("bytea", values.toArray(new byte[0][])));
			this.upsertMany.setArray(3, this.connection.createArrayOf("int8", new Long[keys.size()]));
			this.upsertMany.executeUpdate();
			keys.clear();
			values.clear();
		}

		void copy(Map<String, byte[]> entries) throws SQLException, IOException {
			try (Statement statement = this.connection.createStatement()) {
				statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_load"
						+ " (k text COLLATE \"C\", v bytea, x bigint) ON COMMIT DELETE ROWS");
			}
			// text format: keys are user:%08d, values bytea in hex
			HexFormat hex = HexFormat.of();
			StringBuilder rows = new StringBuilder(entries.size() * 240);
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				rows.append(entry.getKey()).append("\t\\\\x").append(hex.formatHex(entry.getValue())).append("\t\\N\n");
			}
			this.connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY bench_load FROM STDIN", new StringReader(rows.toString()));
			try (Statement statement = this.connection.createStatement()) {
				statement.execute("INSERT INTO bench (k, v, x) SELECT k, v, x FROM bench_load" + UPSERT_SET);
			}
		}

	}

}
