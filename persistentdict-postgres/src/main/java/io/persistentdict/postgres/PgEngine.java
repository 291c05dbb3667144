package io.persistentdict.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.persistentdict.Layout;
import io.persistentdict.OpenMode;
import io.persistentdict.ReadOnlyStoreException;
import io.persistentdict.StoreOpenException;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;
import io.persistentdict.engine.CatalogStore;
import io.persistentdict.engine.Engine;
import io.persistentdict.engine.KeyKind;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Storage;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.TransactionHooks;
import io.persistentdict.engine.WriteScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL engine of one store: a schema on the database behind the application's
 * {@link DataSource}. Every read and every write transaction borrows a connection from
 * the data source and gives it back; the engine holds none between operations and never
 * closes the data source.
 */
final class PgEngine implements Engine {

	private static final Logger logger = LoggerFactory.getLogger(PgEngine.class);

	/** The oldest PostgreSQL this engine runs on. */
	private static final int MIN_VERSION = 140000;

	private final DataSource dataSource;

	private final StoreOptions options;

	private final String schema;

	private final PgErrors errors;

	private final PgCatalog catalog;

	private final @Nullable PgWrites writes;

	private final long clockSkewMillis;

	private final PgChangeFeed feed;

	private final PgStatements statements = new PgStatements();

	private final PgCounts counts;

	/** Whether lone sets may run bare: no instance listened when one last checked. */
	private final PgQuietLease quiet = new PgQuietLease();

	private PgEngine(DataSource dataSource, StoreOptions options, String location, long clockSkewMillis, boolean utf8) {
		this.dataSource = dataSource;
		this.options = options;
		this.schema = options.schema();
		this.errors = new PgErrors(location);
		this.clockSkewMillis = clockSkewMillis;
		this.feed = new PgChangeFeed(dataSource, this.schema, location, utf8, PgChangeFeed.LEASE_MILLIS);
		this.catalog = new PgCatalog(this.schema, options.createSchema(), options.unloggedCaches(), location);
		this.counts = new PgCounts(dataSource, this.schema, !readOnly());
		this.writes = readOnly() ? null
				: new PgWrites(dataSource, this.errors,
						(options.synchronous() == Synchronous.OFF) ? "SET LOCAL synchronous_commit = off" : null,
						options.groupCommitLimit(), options.statsRecorder(), this.schema, utf8, this.statements);
	}

	/**
	 * Open the engine on a data source: check the options, the server and the clocks, and
	 * create or validate the schema.
	 * @param dataSource the data source
	 * @param options the options
	 * @return the engine
	 */
	static PgEngine connect(DataSource dataSource, StoreOptions options) {
		PgOptions.check(options);
		String location = "PostgreSQL database (schema '" + options.schema() + "')";
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			location = "PostgreSQL " + withoutSecrets(connection.getMetaData().getURL()) + " (schema '"
					+ options.schema() + "')";
			long skew = checkServer(connection, options, location);
			boolean utf8 = takesUtf8(connection);
			boolean create = options.createSchema() && options.openMode() != OpenMode.READ_ONLY;
			PgSchema.prepare(connection, options.schema(), create, location);
			return new PgEngine(dataSource, options, location, skew, utf8);
		}
		catch (SQLException ex) {
			Reason reason = PgErrors.isConnectionFailure(ex) ? Reason.UNREACHABLE : Reason.OTHER;
			throw new StoreOpenException(null, reason, "Could not open store " + location + ": "
					+ new PgErrors(location).translate(ex, "open", null).getMessage(), ex);
		}
	}

	/**
	 * Check the server's version and settings, and compare the store's clock with the
	 * database's.
	 * @return the store's clock less the database's, in milliseconds
	 */
	private static long checkServer(Connection connection, StoreOptions options, String location) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,"
					+ " current_setting('server_version_num')::int, current_setting('synchronous_commit')")) {
			long before = options.clock().millis();
			try (ResultSet rs = statement.executeQuery()) {
				long after = options.clock().millis();
				rs.next();
				long skew = (before + after) / 2 - rs.getLong(1);
				int version = rs.getInt(2);
				if (version < MIN_VERSION) {
					throw new StoreOpenException(null, Reason.UNSUPPORTED_DATABASE, "Store " + location
							+ " is on PostgreSQL " + version + ", and persistentdict needs PostgreSQL 14 or newer",
							null);
				}
				if (Math.abs(skew) > 1000) {
					logger.warn(
							"The clock of store {} is {} ms {} the database server's: instances whose clocks"
									+ " differ disagree on when entries expire; synchronize the clocks (NTP)",
							location, Math.abs(skew), (skew > 0) ? "ahead of" : "behind");
				}
				if ("off".equals(rs.getString(3)) && options.synchronous() != Synchronous.OFF) {
					logger.warn(
							"Store {} asked for durable commits (Synchronous.{}), but the database user's"
									+ " synchronous_commit is off: acknowledged commits may be lost on a server crash",
							location, options.synchronous());
				}
				return skew;
			}
		}
	}

	/**
	 * Return whether the server's encoding takes text as UTF-8 does, so that a
	 * notification's size in bytes is its size in UTF-8.
	 */
	private static boolean takesUtf8(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting('server_encoding')");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			String encoding = rs.getString(1);
			return "UTF8".equalsIgnoreCase(encoding) || "SQL_ASCII".equalsIgnoreCase(encoding);
		}
	}

	/** The URL without its user information and parameters, which may hold a password. */
	static String withoutSecrets(@Nullable String url) {
		if (url == null) {
			return "(unknown URL)";
		}
		int query = url.indexOf('?');
		String base = (query >= 0) ? url.substring(0, query) : url;
		return base.replaceFirst("//[^/@]*@", "//");
	}

	@Override
	public String name() {
		return "PostgreSQL";
	}

	@Override
	public StoreOptions options() {
		return this.options;
	}

	@Override
	public PgErrors errors() {
		return this.errors;
	}

	@Override
	public boolean readOnly() {
		return this.options.openMode() == OpenMode.READ_ONLY;
	}

	/**
	 * Return how far the store's clock was ahead of the database's when it connected.
	 * @return the skew in milliseconds, negative when behind
	 */
	long clockSkewMillis() {
		return this.clockSkewMillis;
	}

	@Override
	public <T> @Nullable T read(Op<T> op, @Nullable String dict) {
		PgSession session = PgSession.reads(this.dataSource, this.statements);
		try {
			return op.run(session);
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "read", dict);
		}
		finally {
			session.release();
		}
	}

	@Override
	public WriteScheduler writes() {
		PgWrites current = this.writes;
		if (current == null) {
			throw new ReadOnlyStoreException(
					"Store " + this.errors.location() + " is open read-only; connect with OpenMode.CREATE to write");
		}
		return current;
	}

	@Override
	public boolean heldByCurrentThread() {
		PgWrites current = this.writes;
		return current != null && current.isHeldByCurrentThread();
	}

	@Override
	public void install(TransactionHooks hooks) {
		if (this.writes != null) {
			this.writes.hooks(hooks);
		}
	}

	@Override
	public TableStore table(String qualifiedName, Layout layout, KeyKind keys, boolean stamped) {
		String table = PgSchema.tableName(qualifiedName);
		this.feed.register(table, qualifiedName);
		return new PgTable(qualifiedName, this.schema, table, PgKeys.of(keys), this.errors.location(), this.counts,
				this.quiet, stamped);
	}

	@Override
	public CatalogStore catalog() {
		return this.catalog;
	}

	/**
	 * Other instances' commits, over {@code LISTEN}/{@code NOTIFY}; it holds a connection
	 * only once a near cache is used.
	 */
	@Override
	public PgChangeFeed changes() {
		return this.feed;
	}

	/**
	 * The size of the schema's tables with their indexes and TOAST; the write-ahead log
	 * and free disk are the server's, and unknown here.
	 */
	@Override
	public Storage storage() {
		Long size = read((session) -> {
			PgSession s = PgSession.of(session);
			PreparedStatement statement = s.prepare("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)"
					+ " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
					+ " WHERE n.nspname = ? AND c.relkind = 'r'");
			statement.setString(1, this.schema);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}, null);
		return new Storage((size != null) ? size : -1, -1, -1, Duration.ofMillis(this.clockSkewMillis));
	}

	/**
	 * Check what is cheap to check: that every dict in the catalog has its table, with
	 * its three count triggers enabled. PostgreSQL checks its own pages (with checksums,
	 * when the cluster has them on).
	 */
	@Override
	public String checkIntegrity() {
		List<String> missing = read((session) -> {
			PgSession s = PgSession.of(session);
			// a missing table, or one without all its count triggers, whose counts
			// would go wrong
			PreparedStatement statement = s.prepare("SELECT c.namespace || ':' || c.name, c.table_name,"
					+ " to_regclass(quote_ident(?) || '.' || quote_ident(c.table_name)) IS NULL,"
					+ " (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = to_regclass(quote_ident(?) || '.'"
					+ " || quote_ident(c.table_name)) AND t.tgenabled <> 'D' AND t.tgname = ANY(?)) FROM "
					+ PgSchema.qualified(this.schema, "pd_catalog") + " c ORDER BY c.namespace, c.name");
			statement.setString(1, this.schema);
			statement.setString(2, this.schema);
			statement.setArray(3, s.connection().createArrayOf("text", PgCountsDdl.TRIGGERS.toArray()));
			List<String> names = new ArrayList<>();
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					if (rs.getBoolean(3)) {
						names.add("dict '" + rs.getString(1) + "' has no table " + rs.getString(2));
					}
					else if (rs.getInt(4) < PgCountsDdl.TRIGGERS.size()) {
						names.add("dict '" + rs.getString(1) + "' lacks count triggers on table " + rs.getString(2)
								+ ", so its counts are not kept: set schema_version to 1 in pd_meta and open the"
								+ " store with createSchema on, whose migration recreates the triggers and counts"
								+ " every dict again");
					}
				}
			}
			return names;
		}, null);
		return (missing == null || missing.isEmpty()) ? "ok" : String.join("; ", missing);
	}

	@Override
	public void backupTo(Path target) {
		throw new UnsupportedOperationException("Store " + this.errors.location() + " is on PostgreSQL, which"
				+ " backupTo(Path) cannot copy to a file; back the schema up with pg_dump --schema=" + this.schema
				+ ", or with the server's own backups");
	}

	@Override
	public void close() {
		// nothing else is held between operations; the data source is the application's
		this.feed.close();
		this.statements.close();
		this.counts.close();
	}

	@Override
	public String toString() {
		return "PgEngine[" + this.errors.location() + "]";
	}

}
