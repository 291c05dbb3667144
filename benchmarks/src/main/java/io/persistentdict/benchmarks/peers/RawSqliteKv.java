package io.persistentdict.benchmarks.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.persistentdict.Layout;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * The baseline: raw sqlite-jdbc as a careful user would write it. The same file settings
 * as the core (WAL, the same {@code synchronous}, busy timeout 5 s, incremental
 * auto-vacuum, {@code get_generated_keys} off), the same table and partial expiry index,
 * cached prepared statements, {@code INSERT OR REPLACE} in autocommit with no read of the
 * previous value, one writer connection and one reader connection per thread.
 */
final class RawSqliteKv implements Kv {

	private static final String TABLE = "\"map:bench\"";

	private final String url;

	private final SQLiteConfig sqliteConfig;

	private final Layout layout;

	private final Connection writer;

	private final PreparedStatement insert;

	private final PreparedStatement insertExpiring;

	private final List<Reader> readers = new CopyOnWriteArrayList<>();

	private final InstantSource clock;

	private final ThreadLocal<Reader> reader = ThreadLocal.withInitial(this::newReader);

	RawSqliteKv(Peer.Config config) {
		this.url = "jdbc:sqlite:" + config.dir().resolve("raw.db");
		this.layout = config.resolvedLayout();
		this.clock = config.clock();
		this.sqliteConfig = new SQLiteConfig();
		this.sqliteConfig.setJournalMode(SQLiteConfig.JournalMode.WAL);
		this.sqliteConfig.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(config.synchronous().name()));
		this.sqliteConfig.setBusyTimeout(5000);
		this.sqliteConfig.setGetGeneratedKeys(false);
		try {
			this.writer = connect();
			try (Statement statement = this.writer.createStatement()) {
				// as the core does: in WAL mode the header is already written, so the
				// setting takes only with a VACUUM (instant while the file is empty)
				try (ResultSet rs = statement.executeQuery("PRAGMA auto_vacuum")) {
					if (rs.next() && rs.getInt(1) != 2) {
						statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
						statement.execute("VACUUM");
					}
				}
				String columns = (this.layout == Layout.COMPACT)
						? "(k NOT NULL PRIMARY KEY, v BLOB NOT NULL, x INTEGER) WITHOUT ROWID"
						: "(id INTEGER PRIMARY KEY, k NOT NULL UNIQUE, v BLOB NOT NULL, x INTEGER)";
				statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " " + columns);
				statement
					.execute("CREATE INDEX IF NOT EXISTS \"map:bench#x\" ON " + TABLE + " (x) WHERE x IS NOT NULL");
			}
			// INSERT OR REPLACE, as asked for; but in a rowid table REPLACE deletes the
			// row
			// and inserts a new one under a new rowid, which measured several times
			// slower than an upsert in place. The baseline takes the faster statement
			// there, so that ratios are not flattered by a weak baseline.
			String insert = (this.layout == Layout.COMPACT)
					? "INSERT OR REPLACE INTO " + TABLE + " (k, v, x) VALUES (?, ?, ?)"
					: "INSERT INTO " + TABLE + " (k, v, x) VALUES (?, ?, ?)"
							+ " ON CONFLICT (k) DO UPDATE SET v = excluded.v, x = excluded.x";
			this.insert = this.writer.prepareStatement(insert);
			this.insert.setNull(3, Types.INTEGER);
			this.insertExpiring = this.writer.prepareStatement(insert);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.sqliteConfig.toProperties());
	}

	private Reader newReader() {
		try {
			Reader created = new Reader(connect());
			this.readers.add(created);
			return created;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void put(String key, byte[] value) {
		synchronized (this.writer) {
			try {
				this.insert.setString(1, key);
				this.insert.setBytes(2, value);
				this.insert.executeUpdate();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public byte @Nullable [] get(String key) {
		try {
			return this.reader.get().get(key, this.clock.millis());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		insertAll(entries, 0);
	}

	@Override
	public void putAll(Map<String, byte[]> entries, Duration ttl) {
		insertAll(entries, this.clock.millis() + ttl.toMillis());
	}

	private void insertAll(Map<String, byte[]> entries, long expiresAt) {
		synchronized (this.writer) {
			try {
				this.writer.setAutoCommit(false);
				for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
					this.insertExpiring.setString(1, entry.getKey());
					this.insertExpiring.setBytes(2, entry.getValue());
					if (expiresAt == 0) {
						this.insertExpiring.setNull(3, Types.INTEGER);
					}
					else {
						this.insertExpiring.setLong(3, expiresAt);
					}
					this.insertExpiring.executeUpdate();
				}
				this.writer.commit();
				this.writer.setAutoCommit(true);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public long purgeExpired() {
		// what the reference measurement did: batches of 10,000, each its own commit,
		// found through the partial index on x; by rowid where there is one
		String id = (this.layout == Layout.COMPACT) ? "k" : "id";
		String sql = "DELETE FROM " + TABLE + " WHERE " + id + " IN (SELECT " + id + " FROM " + TABLE
				+ " WHERE x <= ? LIMIT 10000)";
		synchronized (this.writer) {
			try (PreparedStatement delete = this.writer.prepareStatement(sql)) {
				long total = 0;
				int deleted;
				do {
					delete.setLong(1, this.clock.millis());
					deleted = delete.executeUpdate();
					total += deleted;
				}
				while (deleted > 0);
				return total;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public long iterate() {
		try {
			return this.reader.get().iterate(this.clock.millis());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public long size() {
		try {
			return this.reader.get().count();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void vacuum() {
		synchronized (this.writer) {
			try (Statement statement = this.writer.createStatement()) {
				statement.execute("VACUUM");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public void close() {
		try {
			for (Reader r : this.readers) {
				r.connection.close();
			}
			this.insert.close();
			this.insertExpiring.close();
			this.writer.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One thread's read connection and its statements. */
	private static final class Reader {

		final Connection connection;

		final PreparedStatement get;

		final PreparedStatement scan;

		final PreparedStatement count;

		Reader(Connection connection) throws SQLException {
			this.connection = connection;
			this.get = connection.prepareStatement("SELECT v FROM " + TABLE + " WHERE k = ? AND (x IS NULL OR x > ?)");
			this.scan = connection.prepareStatement("SELECT k, v FROM " + TABLE + " WHERE x IS NULL OR x > ?");
			this.count = connection.prepareStatement("SELECT COUNT(*) FROM " + TABLE);
		}

		byte @Nullable [] get(String key, long now) throws SQLException {
			this.get.setString(1, key);
			this.get.setLong(2, now);
			try (ResultSet rs = this.get.executeQuery()) {
				return rs.next() ? rs.getBytes(1) : null;
			}
		}

		long iterate(long now) throws SQLException {
			this.scan.setLong(1, now);
			long sum = 0;
			try (ResultSet rs = this.scan.executeQuery()) {
				while (rs.next()) {
					sum += rs.getString(1).length() + rs.getBytes(2).length;
				}
			}
			return sum;
		}

		long count() throws SQLException {
			try (ResultSet rs = this.count.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}

	}

}
