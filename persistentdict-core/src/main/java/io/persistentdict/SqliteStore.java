package io.persistentdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.StoreStats.MaintenanceReport;
import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;

/**
 * The {@link DictStore} over one SQLite file or in-memory database.
 */
final class SqliteStore implements DictStore {

	static final int APPLICATION_ID = 0x50446963;

	static final int SCHEMA_VERSION = 1;

	private static final Logger logger = LoggerFactory.getLogger(SqliteStore.class);

	private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	/**
	 * Rows per sweep transaction: a few milliseconds, so readers and writers never wait
	 * long.
	 */
	private static final int SWEEP_BATCH = 2000;

	private static final int SCHEDULED_VACUUM_PAGES = 2048;

	private final @Nullable Path path;

	private final String location;

	private final StoreOptions options;

	private final boolean readOnly;

	private final boolean memory;

	private final boolean deleteOnClose;

	private final ErrorTranslator errors;

	private final SQLiteDataSource dataSource;

	private final HikariDataSource pool;

	private final ConcurrentHashMap<Connection, ConnState> readStates = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, DictCounters> counters = new ConcurrentHashMap<>();

	/**
	 * Dicts with pending sliding refreshes, by identity: a dict's own hashCode reads the
	 * table.
	 */
	private final ConcurrentHashMap<Object, SqliteDict<?, ?>> touched = new ConcurrentHashMap<>();

	private final AtomicBoolean touchFlushScheduled = new AtomicBoolean();

	private final Object writerInit = new Object();

	private final ConcurrentHashMap<String, NearCache> nearCaches = new ConcurrentHashMap<>();

	private final Object monitorLock = new Object();

	private final Object closeLock = new Object();

	private @Nullable ConnState monitor;

	/** The last {@code PRAGMA data_version} seen, or -1 before the first look. */
	private volatile long dataVersion = -1;

	private volatile long lastVersionCheck;

	/**
	 * The data version the monitor connection last saw, while the writer was busy; -1
	 * before its first look. Guarded by {@link #monitorLock}.
	 */
	private long monitorVersion = -1;

	/** The near caches' check interval, in nanoseconds. */
	private final long versionCheckNanos;

	private volatile @Nullable WritePath writes;

	private volatile @Nullable ConnState writer;

	private volatile boolean open = true;

	/** The last runs of each kind of maintenance, each written on its own. */
	private record Run(Instant at, long count, long millis, String message) {
	}

	private volatile @Nullable Run lastSweep;

	private volatile @Nullable Run lastVacuum;

	private volatile @Nullable Run lastIntegrityCheck;

	private SqliteStore(@Nullable Path path, String url, String location, StoreOptions options, boolean memory,
			boolean deleteOnClose) {
		this.path = path;
		this.location = location;
		this.options = options;
		this.versionCheckNanos = this.options.nearCacheCheckInterval().toNanos();
		this.readOnly = options.openMode() == OpenMode.READ_ONLY;
		this.memory = memory;
		this.deleteOnClose = deleteOnClose;
		this.errors = new ErrorTranslator(location);
		this.dataSource = new ConfiguredDataSource(config(options, memory, this.readOnly), options);
		this.dataSource.setUrl(url);
		boolean ok = false;
		ConnState first = null;
		try {
			if (memory) {
				// the in-memory database lives while a connection is open: the writer
				// holds it
				first = writer();
			}
			this.pool = createPool(location, options, this.dataSource);
			ok = true;
		}
		finally {
			if (!ok && first != null) {
				first.close();
			}
		}
	}

	static SqliteStore openFile(Path requested, StoreOptions options) {
		Path path = expand(requested);
		for (int attempt = 0;; attempt++) {
			SqliteStore store = null;
			try {
				prepareFile(path, options);
				boolean immutable = options.openMode() == OpenMode.READ_ONLY && isOnReadOnlyMedia(path);
				String url = immutable ? "jdbc:sqlite:" + path.toUri() + "?immutable=1" : "jdbc:sqlite:" + path;
				if (!headerSaysOurs(path)) {
					inspect(path, url, options);
				}
				store = new SqliteStore(path, url, path.toString(), options, false, false);
				store.validate();
				return store;
			}
			catch (StoreOpenException ex) {
				closeQuietly(store);
				if (options.openMode() == OpenMode.RECOVER && attempt == 0
						&& (ex.reason() == Reason.CORRUPT || ex.reason() == Reason.NOT_SQLITE)) {
					moveAside(path, ex);
					continue;
				}
				throw ex;
			}
			catch (RuntimeException ex) {
				closeQuietly(store);
				throw openFailure(path, ex);
			}
		}
	}

	static SqliteStore openMemory(StoreOptions options) {
		String name = "/persistentdict-" + UUID.randomUUID();
		SqliteStore store = new SqliteStore(null, "jdbc:sqlite:file:" + name + "?vfs=memdb", "in-memory store " + name,
				options.toBuilder().openMode(OpenMode.CREATE).build(), true, false);
		store.validate();
		return store;
	}

	static SqliteStore openTemporary(StoreOptions options) {
		try {
			Path file = Files.createTempFile("persistentdict-", ".db", OWNER_ONLY_FILE);
			SqliteStore store = new SqliteStore(file, "jdbc:sqlite:" + file, file.toString(),
					options.toBuilder().openMode(OpenMode.CREATE).build(), false, true);
			store.validate();
			return store;
		}
		catch (IOException ex) {
			throw new StoreOpenException(null, Reason.NOT_ACCESSIBLE,
					"Could not create a temporary store file: " + ex.getMessage() + "; check java.io.tmpdir", ex);
		}
	}

	// ---- opening

	private static Path expand(Path path) {
		String text = path.toString();
		if (text.equals("~") || text.startsWith("~/")) {
			path = Path.of(System.getProperty("user.home") + text.substring(1));
		}
		return path.toAbsolutePath().normalize();
	}

	private static void prepareFile(Path path, StoreOptions options) {
		try {
			if (options.openMode() == OpenMode.RECREATE) {
				for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
					Files.deleteIfExists(Path.of(path + suffix));
				}
				logger.info("Recreated store {}: its previous content was deleted, as OpenMode.RECREATE asks", path);
			}
			if (Files.exists(path)) {
				if (Files.isDirectory(path)) {
					throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
							"Store path " + path + " is a directory; give the path of a file inside it", null);
				}
				checkHeader(path);
				return;
			}
			if (options.openMode() == OpenMode.READ_ONLY) {
				throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
						"Store " + path + " does not exist, and a read-only store cannot create it", null);
			}
			Path parent = path.getParent();
			if (parent != null && !Files.isDirectory(parent)) {
				createDirectories(parent);
			}
			try {
				Files.createFile(path, ownerOnly(path, OWNER_ONLY_FILE));
			}
			catch (FileAlreadyExistsException ex) {
				// another process created it first
			}
		}
		catch (AccessDeniedException ex) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE, "Cannot create store " + path
					+ ": permission denied on " + ex.getFile() + "; choose a writable directory or fix its permissions",
					ex);
		}
		catch (IOException ex) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Cannot create store " + path + ": " + ex + "; choose a writable directory", ex);
		}
	}

	private static void createDirectories(Path dir) throws IOException {
		Path parent = dir.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			createDirectories(parent);
		}
		try {
			Files.createDirectory(dir, ownerOnly(dir, OWNER_ONLY_DIR));
		}
		catch (FileAlreadyExistsException ex) {
			// created concurrently
		}
	}

	private static FileAttribute<?>[] ownerOnly(Path path, FileAttribute<?> attribute) {
		Path existing = path.getParent();
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		boolean posix = existing == null || existing.getFileSystem().supportedFileAttributeViews().contains("posix");
		return posix ? new FileAttribute<?>[] { attribute } : new FileAttribute<?>[0];
	}

	private static void checkHeader(Path path) throws IOException {
		long size = Files.size(path);
		if (size == 0) {
			return;
		}
		if (!Files.isReadable(path)) {
			throw new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
					"Store " + path + " is not readable by this user; fix its permissions", null);
		}
		byte[] header = new byte[SQLITE_MAGIC.length];
		int read;
		try (InputStream in = Files.newInputStream(path)) {
			read = in.readNBytes(header, 0, header.length);
		}
		if (read < header.length || !Arrays.equals(header, SQLITE_MAGIC)) {
			throw new StoreOpenException(path, Reason.NOT_SQLITE, "Store " + path
					+ " is not a SQLite database (or is truncated); persistentdict will not touch it. Choose another"
					+ " path, or open with OpenMode.RECOVER to move it aside and start empty", null);
		}
		if (size < 512) {
			throw new StoreOpenException(path, Reason.CORRUPT, "Store " + path + " is truncated (" + size
					+ " bytes). Restore it from a backup, or open with OpenMode.RECOVER to move it aside and start empty",
					null);
		}
	}

	/**
	 * Whether the file's directory cannot be written, so SQLite cannot create the WAL's
	 * {@code -shm} file: then a read-only store opens the file as immutable.
	 */
	private static boolean isOnReadOnlyMedia(Path path) {
		Path dir = path.getParent();
		return dir != null && !Files.isWritable(dir) && !Files.exists(Path.of(path + "-shm"));
	}

	/**
	 * Read SQLite's file header: whether it carries our application id and a schema
	 * version we understand. A header page still in the WAL reads as not ours, and the
	 * file is then inspected through a connection; this only saves that connection for
	 * our own files.
	 */
	private static boolean headerSaysOurs(Path path) {
		byte[] header = new byte[100];
		try (InputStream in = Files.newInputStream(path)) {
			if (in.readNBytes(header, 0, header.length) < header.length) {
				return false;
			}
		}
		catch (IOException ex) {
			return false;
		}
		java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(header);
		int userVersion = buffer.getInt(60);
		int applicationId = buffer.getInt(68);
		return applicationId == APPLICATION_ID && userVersion <= SCHEMA_VERSION;
	}

	/**
	 * Look at an existing file through a plain read-only connection, before any
	 * connection that sets pragmas (WAL would rewrite the header of someone else's file)
	 * touches it.
	 */
	private static void inspect(Path path, String url, StoreOptions options) {
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
			if (version > SCHEMA_VERSION) {
				throw newer(path, path.toString(), version);
			}
		}
		catch (SQLException ex) {
			throw openFailure(path, new PersistentDictException(String.valueOf(ex.getMessage()), ex));
		}
	}

	private static StoreOpenException foreign(@Nullable Path path, String location, int applicationId, String tables) {
		return new StoreOpenException(path, Reason.FOREIGN,
				"Store " + location + " is a SQLite database of another application (application_id "
						+ String.format("0x%08x", applicationId) + ", tables " + Strings.shorten(tables, 200)
						+ "); persistentdict will not touch it. Choose another path",
				null);
	}

	private static StoreOpenException newer(@Nullable Path path, String location, int version) {
		return new StoreOpenException(path, Reason.NEWER_SCHEMA,
				"Store " + location + " has schema version " + version + ", newer than this version of"
						+ " persistentdict understands (" + SCHEMA_VERSION
						+ "); upgrade persistentdict, or open a copy with the version that wrote it",
				null);
	}

	private static void moveAside(Path path, StoreOpenException cause) {
		Path aside = Path.of(path + ".corrupt-" + System.currentTimeMillis());
		try {
			Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
			for (String suffix : List.of("-wal", "-shm", "-journal")) {
				Path extra = Path.of(path + suffix);
				if (Files.exists(extra)) {
					Files.move(extra, Path.of(aside + suffix), StandardCopyOption.ATOMIC_MOVE);
				}
			}
			logger.warn("Store {} could not be opened ({}); moved it aside to {} and started an empty store", path,
					cause.getMessage(), aside);
		}
		catch (IOException ex) {
			throw new StoreOpenException(path, cause.reason(),
					"Store " + path + " is damaged and could not be moved aside: " + ex, ex);
		}
	}

	private static StoreOpenException openFailure(Path path, RuntimeException ex) {
		if (ex instanceof StoreOpenException open) {
			return open;
		}
		Throwable cause = ex;
		while (cause != null && !(cause instanceof SQLException)) {
			cause = cause.getCause();
		}
		SQLiteErrorCode code = (cause instanceof SQLException sql) ? ErrorTranslator.code(sql) : null;
		if (code != null) {
			switch (code) {
				case SQLITE_NOTADB:
					return new StoreOpenException(path, Reason.NOT_SQLITE,
							"Store " + path
									+ " is not a SQLite database; choose another path, or open with OpenMode.RECOVER",
							ex);
				case SQLITE_CORRUPT:
					return new StoreOpenException(path, Reason.CORRUPT, "Store " + path
							+ " is corrupt. Restore it from a backup, or open with OpenMode.RECOVER to move it aside",
							ex);
				case SQLITE_BUSY:
				case SQLITE_LOCKED:
					return new StoreOpenException(path, Reason.LOCKED, "Store " + path
							+ " is locked by another process for longer than the busy timeout; stop that process"
							+ " or raise the busy timeout", ex);
				case SQLITE_CANTOPEN:
				case SQLITE_READONLY:
				case SQLITE_PERM:
				case SQLITE_AUTH:
					return new StoreOpenException(path, Reason.NOT_ACCESSIBLE,
							"Store " + path
									+ " cannot be opened: the file or its directory is not accessible to this user."
									+ " Fix their permissions, or (to read only) open it with OpenMode.READ_ONLY",
							ex);
				default:
					break;
			}
		}
		return new StoreOpenException(path, Reason.OTHER, "Could not open store " + path + ": " + ex.getMessage(), ex);
	}

	private static SQLiteConfig config(StoreOptions options, boolean memory, boolean readOnly) {
		// sqlite-jdbc reads its connection properties when the config is built
		java.util.Properties properties = new java.util.Properties();
		properties.putAll(options.connectionProperties());
		SQLiteConfig config = new SQLiteConfig(properties);
		if (!memory && !readOnly) {
			config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		}
		config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.synchronous().name()));
		config.setBusyTimeout((int) options.busyTimeout().toMillis());
		config.setGetGeneratedKeys(false);
		config.setReadOnly(readOnly);
		return config;
	}

	private static HikariDataSource createPool(String location, StoreOptions options, SQLiteDataSource dataSource) {
		HikariConfig config = new HikariConfig();
		config.setDataSource(dataSource);
		config.setPoolName((options.poolName() != null) ? options.poolName()
				: "persistentdict-" + Path.of(location).getFileName());
		config.setMaximumPoolSize(options.readPoolSize());
		config.setMinimumIdle(1);
		config.setMaxLifetime(0);
		config.setIdleTimeout(0);
		config.setKeepaliveTime(0);
		config.setConnectionTimeout(Math.max(250, options.busyTimeout().toMillis()));
		config.setAutoCommit(true);
		// sqlite-jdbc fixes the flag when the connection opens; the pool must agree with
		// it
		config.setReadOnly(options.openMode() == OpenMode.READ_ONLY);
		config.setInitializationFailTimeout(1);
		config.setScheduledExecutor(PoolHousekeeping.EXECUTOR);
		if (options.metricsTrackerFactory() != null) {
			config.setMetricsTrackerFactory(options.metricsTrackerFactory());
		}
		return new HikariDataSource(config);
	}

	/**
	 * One thread for the housekeeping of every store's pool. HikariCP otherwise starts a
	 * thread for each pool, which was about 150-200 µs of a store's 500 µs pool start
	 * (300 starts, medians). The thread ends after a minute with no pool open.
	 */
	private static final class PoolHousekeeping {

		static final java.util.concurrent.ScheduledThreadPoolExecutor EXECUTOR = create();

		private static java.util.concurrent.ScheduledThreadPoolExecutor create() {
			java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(
					1, (task) -> {
						Thread thread = new Thread(task, "persistentdict-pool-housekeeper");
						thread.setDaemon(true);
						// not the class loader of whichever application opened the first
						// store: that one may be redeployed while the thread lives on
						thread.setContextClassLoader(PoolHousekeeping.class.getClassLoader());
						return thread;
					});
			executor.setRemoveOnCancelPolicy(true);
			executor.setKeepAliveTime(1, TimeUnit.MINUTES);
			executor.allowCoreThreadTimeOut(true);
			return executor;
		}

	}

	/**
	 * Check the file's application id and schema version; set up a new file.
	 */
	private void validate() {
		String[] state = read((connection) -> {
			try (Statement statement = connection.connection().createStatement()) {
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
			if (!this.readOnly) {
				initialize();
			}
			return;
		}
		if (applicationId != APPLICATION_ID) {
			throw foreign(this.path, this.location, applicationId, tables);
		}
		if (version > SCHEMA_VERSION) {
			throw newer(this.path, this.location, version);
		}
		if (version < SCHEMA_VERSION && !this.readOnly) {
			initialize();
		}
	}

	private void initialize() {
		ConnState w = writer();
		try {
			if (!this.memory) {
				// lets the file shrink without a full VACUUM. WAL mode has already
				// written
				// the header, so the setting only takes with a VACUUM: instant when empty
				try (Statement statement = w.connection().createStatement()) {
					if (single(statement, "PRAGMA auto_vacuum") != 2 && tables(statement).isEmpty()) {
						statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
						statement.execute("VACUUM");
					}
				}
			}
			writes().exclusive((connection) -> {
				try (Statement statement = connection.connection().createStatement()) {
					if (single(statement, "PRAGMA user_version") >= SCHEMA_VERSION) {
						return null;
					}
					Catalog.create(connection);
					statement.execute("PRAGMA application_id = " + APPLICATION_ID);
					statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
				}
				return null;
			});
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "initialize");
		}
	}

	private static int single(Statement statement, String sql) throws SQLException {
		try (ResultSet rs = statement.executeQuery(sql)) {
			return rs.next() ? rs.getInt(1) : 0;
		}
	}

	private static List<String> tables(Statement statement) throws SQLException {
		List<String> tables = new java.util.ArrayList<>();
		try (ResultSet rs = statement
			.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
			while (rs.next()) {
				tables.add(rs.getString(1));
			}
		}
		return tables;
	}

	// ---- connections

	@FunctionalInterface
	interface ReadOp<T> {

		T run(ConnState connection) throws SQLException;

	}

	<T> T read(ReadOp<T> op, @Nullable String dict) {
		checkUsable();
		try (Connection connection = this.pool.getConnection()) {
			Connection raw = connection.unwrap(SQLiteConnection.class);
			ConnState state = this.readStates.get(raw);
			if (state == null) {
				state = this.readStates.computeIfAbsent(raw, ConnState::new);
			}
			return op.run(state);
		}
		catch (SQLException ex) {
			checkUsable();
			throw this.errors.translate(ex, "read", dict);
		}
	}

	WritePath writes() {
		WritePath path = this.writes;
		if (path == null) {
			writer();
			path = this.writes;
		}
		return path;
	}

	private ConnState writer() {
		ConnState state = this.writer;
		if (state != null) {
			return state;
		}
		if (this.readOnly) {
			throw new ReadOnlyStoreException(
					"Store " + this.location + " is open read-only; reopen it with OpenMode.CREATE to write");
		}
		synchronized (this.writerInit) {
			if (this.writer == null) {
				try {
					ConnState created = new ConnState(this.dataSource.getConnection());
					WritePath path = new WritePath(created, this.options.maxBatch(), this.options.statsRecorder(),
							this::flushTouches, this.errors);
					// at FULL a lone write still takes an explicit transaction: a
					// harness with 4 writers handing off once measured implicit commits
					// slower there, and the suite's single-writer FULL figures show no
					// difference either way
					boolean autocommit = this.options.synchronous() != Synchronous.FULL;
					path.autocommitAllowed(() -> autocommit && this.touched.isEmpty() && this.nearCaches.isEmpty());
					path.afterBegin(() -> {
						if (!this.nearCaches.isEmpty()) {
							observeDataVersion(created);
						}
					});
					this.writes = path;
					this.writer = created;
				}
				catch (SQLException ex) {
					throw this.errors.translate(ex, "open the write connection");
				}
			}
			return this.writer;
		}
	}

	void checkUsable() {
		if (!this.open) {
			throw new IllegalStateException(
					"Store " + this.location + " is closed; open it again with DictStore.open(...) to use its dicts");
		}
		WritePath path = this.writes;
		if (path != null && path.isHeldByCurrentThread()) {
			throw new IllegalStateException("Store " + this.location + " was called from inside a compute, merge or"
					+ " batch function of the same store; such functions must not touch the store");
		}
	}

	void checkWritable(String dict) {
		checkUsable();
		if (this.readOnly) {
			throw new ReadOnlyStoreException("Dict '" + dict + "' in store " + this.location
					+ " is read-only because the store was opened with OpenMode.READ_ONLY; reopen it with"
					+ " OpenMode.CREATE to write");
		}
	}

	ErrorTranslator errors() {
		return this.errors;
	}

	long now() {
		return this.options.clock().millis();
	}

	// ---- dicts

	@Override
	public <K, V> PersistentDict<K, V> dict(DictSpec<K, V> spec) {
		java.util.Objects.requireNonNull(spec, "spec must not be null");
		checkUsable();
		KeyCodec<K> keyCodec = (spec.keyCodec() != null) ? spec.keyCodec() : KeyCodec.defaultFor(spec.keyType());
		Codec<V> valueCodec = (spec.valueCodec() != null) ? spec.valueCodec()
				: Codec.defaultFor(spec.valueType(), this.options.allowedTypes(), this.options.classLoader());
		String qualified = spec.qualifiedName();
		Layout layout = resolveLayout(spec);
		Catalog.Entry wanted = new Catalog.Entry(spec.namespace(), spec.name(), spec.keyType().getName(), keyCodec.id(),
				spec.valueType().getName(), valueCodec.id(), layout.name(),
				(spec.ttl() != null) ? spec.ttl().toMillis() : 0, spec.sliding(), spec.compressionThreshold());
		Catalog.Entry existing = read((c) -> Catalog.find(c, spec.namespace(), spec.name()), qualified);
		if (existing != null) {
			checkCompatible(existing, wanted);
			if (!this.readOnly && settingsDiffer(existing, wanted)) {
				writes().exclusive((w) -> {
					Catalog.save(w, wanted, now());
					return null;
				});
			}
			layout = Layout.valueOf(existing.layout());
		}
		else {
			if (this.readOnly) {
				throw new ReadOnlyStoreException("Dict '" + qualified + "' does not exist in store " + this.location
						+ ", and a read-only store cannot create it");
			}
			boolean compact = layout == Layout.COMPACT;
			writes().exclusive((w) -> {
				Catalog.Entry raced = Catalog.find(w, spec.namespace(), spec.name());
				if (raced != null) {
					checkCompatible(raced, wanted);
					return null;
				}
				new Table(qualified).create(w, compact);
				Catalog.save(w, wanted, now());
				return null;
			});
		}
		Table table = new Table(qualified, layout == Layout.COMPACT, Table.KeyColumn.of(keyCodec));
		if (spec.clearOnOpen()) {
			checkWritable(qualified);
			writes().exclusive((w) -> {
				table.clear(w);
				return null;
			});
			NearCache cleared = existingNearCache(qualified);
			if (cleared != null) {
				cleared.clear();
			}
		}
		DictCounters dictCounters = this.counters.computeIfAbsent(qualified, (name) -> new DictCounters());
		NearCache near = (spec.nearCache() > 0) ? nearCache(qualified, spec.nearCache()) : null;
		return new SqliteDict<>(this, spec, table, keyCodec, valueCodec, dictCounters, near);
	}

	private static Layout resolveLayout(DictSpec<?, ?> spec) {
		if (spec.layout() != Layout.AUTO) {
			return spec.layout();
		}
		Class<?> type = spec.valueType();
		boolean small = Number.class.isAssignableFrom(type) || type == Boolean.class || type == UUID.class
				|| type == Character.class || type.isEnum() || type == Instant.class;
		return small ? Layout.COMPACT : Layout.ROWID;
	}

	private void checkCompatible(Catalog.Entry existing, Catalog.Entry wanted) {
		String name = wanted.qualifiedName();
		if (!existing.keyType().equals(wanted.keyType()) || !existing.keyCodec().equals(wanted.keyCodec())) {
			throw new IncompatibleDictException("Dict '" + name + "' in store " + this.location + " was created with "
					+ existing.keyType() + " keys (codec " + existing.keyCodec() + "), but is opened with "
					+ wanted.keyType() + " keys (codec " + wanted.keyCodec()
					+ "); open it with the original key type, or use another name");
		}
		if (!existing.valueType().equals(wanted.valueType())) {
			throw new IncompatibleDictException("Dict '" + name + "' in store " + this.location + " was created with "
					+ existing.valueType() + " values, but is opened with " + wanted.valueType()
					+ "; open it with the original value type, or use another name");
		}
	}

	private static boolean settingsDiffer(Catalog.Entry existing, Catalog.Entry wanted) {
		return !existing.valueCodec().equals(wanted.valueCodec()) || existing.ttlMillis() != wanted.ttlMillis()
				|| existing.sliding() != wanted.sliding()
				|| existing.compressionThreshold() != wanted.compressionThreshold();
	}

	@Override
	public Set<String> dictNames(String namespace) {
		java.util.Objects.requireNonNull(namespace, "namespace must not be null");
		Set<String> names = new LinkedHashSet<>();
		for (Catalog.Entry entry : catalog()) {
			if (entry.namespace().equals(namespace)) {
				names.add(entry.name());
			}
		}
		return names;
	}

	List<Catalog.Entry> catalog() {
		return read(Catalog::all, null);
	}

	@Override
	public boolean drop(String namespace, String name) {
		// both parts: dict names may hold ':', so an unchecked namespace such as
		// "map:a" would name another dict's table
		DictSpec.validateNamespace(namespace);
		DictSpec.validateName(name);
		String qualified = namespace + ":" + name;
		checkWritable(qualified);
		Table table = new Table(qualified);
		Boolean existed = writes().exclusive((w) -> {
			table.drop(w);
			return Catalog.delete(w, namespace, name);
		});
		// cached statements on the dropped table need no cleanup: SQLite re-prepares them
		// on
		// the schema change, and they fail cleanly if the table is gone
		this.counters.remove(qualified);
		NearCache near = this.nearCaches.remove(qualified);
		if (near != null) {
			near.clear();
		}
		return Boolean.TRUE.equals(existed);
	}

	// ---- near caches

	NearCache nearCache(String qualified, int maxEntries) {
		return this.nearCaches.computeIfAbsent(qualified, (name) -> new NearCache(maxEntries));
	}

	/**
	 * The near cache of a dict, if any handle on it has one.
	 * @param qualified the dict's qualified name
	 * @return its near cache, or {@code null}
	 */
	@Nullable NearCache existingNearCache(String qualified) {
		return this.nearCaches.isEmpty() ? null : this.nearCaches.get(qualified);
	}

	/**
	 * Whether near caches may take entries: only once a baseline data version is known,
	 * so that a later change by another process is sure to be noticed.
	 */
	boolean nearCachesReady() {
		return this.dataVersion != -1;
	}

	/**
	 * Clear the near caches if another connection has committed since the last look;
	 * looks at most once per check interval.
	 */
	void checkExternalChanges() {
		long now = System.nanoTime();
		if (this.dataVersion != -1 && now - this.lastVersionCheck < this.versionCheckNanos) {
			return;
		}
		this.lastVersionCheck = now;
		if (this.readOnly) {
			synchronized (this.monitorLock) {
				try {
					if (this.monitor == null) {
						this.monitor = new ConnState(this.dataSource.getConnection());
					}
					observeDataVersion(this.monitor);
				}
				catch (SQLException ex) {
					throw this.errors.translate(ex, "read the data version");
				}
			}
		}
		else if (!writes().tryOutsideTransaction((w) -> {
			observeDataVersion(w);
			return null;
		})) {
			// the writer is busy, perhaps for long (a checkpoint, a vacuum, a large
			// batch): look through a monitor connection instead, so that the bound holds
			observeThroughMonitor();
		}
	}

	/**
	 * Clear the near caches if any connection, this store's writer included, has
	 * committed since the monitor last looked: the monitor cannot tell this store's own
	 * commits from another process's, so it errs towards clearing. It is used only while
	 * the writer is busy.
	 */
	private void observeThroughMonitor() {
		synchronized (this.monitorLock) {
			long version;
			try {
				if (this.monitor == null) {
					this.monitor = new ConnState(this.dataSource.getConnection());
				}
				try (ResultSet rs = this.monitor.prepare("PRAGMA data_version").executeQuery()) {
					rs.next();
					version = rs.getLong(1);
				}
			}
			catch (SQLException ex) {
				throw this.errors.translate(ex, "read the data version");
			}
			// a first look has nothing to compare with: anything may have changed
			if (this.monitorVersion == -1 || this.monitorVersion != version) {
				this.nearCaches.values().forEach(NearCache::clear);
			}
			this.monitorVersion = version;
		}
	}

	/**
	 * Read {@code PRAGMA data_version} on a connection this store writes through (or its
	 * read-only monitor): it changes only when another connection commits.
	 */
	private void observeDataVersion(ConnState connection) {
		long version;
		try (ResultSet rs = connection.prepare("PRAGMA data_version").executeQuery()) {
			rs.next();
			version = rs.getLong(1);
		}
		catch (SQLException ex) {
			throw this.errors.translate(ex, "read the data version");
		}
		long previous = this.dataVersion;
		if (previous != -1 && previous != version) {
			this.nearCaches.values().forEach(NearCache::clear);
		}
		this.dataVersion = version;
		this.lastVersionCheck = System.nanoTime();
	}

	// ---- sliding expiry

	void touched(SqliteDict<?, ?> dict) {
		this.touched.put(dict.identity(), dict);
		if (this.touchFlushScheduled.compareAndSet(false, true)) {
			CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> {
				this.touchFlushScheduled.set(false);
				if (this.open && !this.touched.isEmpty()) {
					try {
						writes().submit((w) -> null);
					}
					catch (RuntimeException ex) {
						logger.debug("Could not flush sliding expiry refreshes of {}", this.location, ex);
					}
				}
			});
		}
	}

	/** Runs inside every write transaction, just before the commit. */
	private void flushTouches() {
		if (this.touched.isEmpty()) {
			return;
		}
		ConnState w = this.writer;
		for (SqliteDict<?, ?> dict : this.touched.values()) {
			this.touched.remove(dict.identity());
			dict.flushTouches(w);
		}
	}

	// ---- maintenance

	@Override
	public long sweep() {
		checkWritable("*");
		long total = 0;
		long started = System.nanoTime();
		for (Catalog.Entry entry : catalog()) {
			total += sweep(new Table(entry.qualifiedName(), Layout.COMPACT.name().equals(entry.layout())),
					entry.qualifiedName());
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		this.lastSweep = new Run(Instant.ofEpochMilli(now()), total, millis, "");
		return total;
	}

	long sweep(Table table, String qualified) {
		checkWritable(qualified);
		long started = System.nanoTime();
		long total = 0;
		int deleted;
		do {
			long now = now();
			Integer n = writes().submit((w) -> table.sweepBatch(w, now, SWEEP_BATCH));
			deleted = (n != null) ? n : 0;
			total += deleted;
		}
		while (deleted >= SWEEP_BATCH);
		DictCounters dictCounters = this.counters.computeIfAbsent(qualified, (name) -> new DictCounters());
		dictCounters.expirations.add(total);
		long now = now();
		dictCounters.entries = read((c) -> table.count(c, now), qualified);
		long nanos = System.nanoTime() - started;
		try {
			this.options.statsRecorder().recordSweep(qualified, total, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
		return total;
	}

	@Override
	public long incrementalVacuum(int maxPages) {
		checkWritable("*");
		if (maxPages < 0) {
			throw new IllegalArgumentException("maxPages must be 0 (all) or more, was " + maxPages);
		}
		long started = System.nanoTime();
		Long freed = writes().outsideTransaction((w) -> freePages(w, maxPages));
		checkpoint();
		recordVacuum(false, System.nanoTime() - started);
		return (freed != null) ? freed : 0;
	}

	private static long freePages(ConnState writer, int maxPages) throws SQLException {
		try (Statement statement = writer.connection().createStatement()) {
			int before = single(statement, "PRAGMA freelist_count");
			// executeUpdate steps to the end; execute() would free a single page
			statement.executeUpdate("PRAGMA incremental_vacuum(" + maxPages + ")");
			int after = single(statement, "PRAGMA freelist_count");
			return before - after;
		}
	}

	@Override
	public void vacuum() {
		checkWritable("*");
		long started = System.nanoTime();
		writes().outsideTransaction((w) -> {
			w.execute("VACUUM");
			return null;
		});
		checkpoint();
		recordVacuum(true, System.nanoTime() - started);
	}

	@Override
	public boolean vacuumIfDue(Duration interval) {
		java.util.Objects.requireNonNull(interval, "interval must not be null");
		checkWritable("*");
		long now = now();
		long started = System.nanoTime();
		Long freed = writes().exclusive((w) -> {
			Long next = Catalog.meta(w, "next_vacuum");
			if (next != null && next > now) {
				return null;
			}
			// the claim and the vacuum commit together: a vacuum that fails rolls its
			// claim back, and the next run tries again
			Catalog.setMeta(w, "next_vacuum", now + interval.toMillis());
			return freePages(w, SCHEDULED_VACUUM_PAGES);
		});
		if (freed == null) {
			return false;
		}
		checkpoint();
		recordVacuum(false, System.nanoTime() - started);
		return true;
	}

	private void recordVacuum(boolean full, long nanos) {
		this.lastVacuum = new Run(Instant.ofEpochMilli(now()), 0, TimeUnit.NANOSECONDS.toMillis(nanos), "");
		try {
			this.options.statsRecorder().recordVacuum(full, nanos);
		}
		catch (RuntimeException ex) {
			logger.warn("StatsRecorder failed; ignoring", ex);
		}
	}

	@Override
	public void checkpoint() {
		checkWritable("*");
		if (this.memory) {
			return;
		}
		writes().outsideTransaction((w) -> {
			try (Statement statement = w.connection().createStatement();
					ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
				return rs.next() ? rs.getInt(1) : 0;
			}
		});
	}

	@Override
	public void optimize() {
		checkWritable("*");
		writes().outsideTransaction((w) -> {
			try (Statement statement = w.connection().createStatement()) {
				statement.execute("PRAGMA optimize");
			}
			return null;
		});
	}

	@Override
	public String checkIntegrity() {
		String result;
		try {
			result = integrityCheck();
		}
		catch (PersistentDictException ex) {
			// damage bad enough that SQLite cannot even walk the file: that is the answer
			result = ex.getMessage();
		}
		this.lastIntegrityCheck = new Run(Instant.ofEpochMilli(now()), 0, 0, result);
		return result;
	}

	private String integrityCheck() {
		return read((c) -> {
			StringBuilder problems = new StringBuilder();
			try (Statement statement = c.connection().createStatement();
					ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
				while (rs.next()) {
					if (problems.length() > 0) {
						problems.append("; ");
					}
					problems.append(rs.getString(1));
				}
			}
			return problems.toString();
		}, null);
	}

	@Override
	public void backupTo(Path requested) {
		java.util.Objects.requireNonNull(requested, "target must not be null");
		Path target = expand(requested);
		if (Files.exists(target)) {
			throw new PersistentDictException(
					"Backup of store " + this.location + " refused: " + target + " already exists; choose a new file");
		}
		try {
			Path parent = target.getParent();
			if (parent != null && !Files.isDirectory(parent)) {
				createDirectories(parent);
			}
			Files.createFile(target, ownerOnly(target, OWNER_ONLY_FILE));
		}
		catch (IOException ex) {
			throw new PersistentDictException("Backup of store " + this.location + " to " + target + " failed: " + ex,
					ex);
		}
		boolean done = false;
		try {
			read((c) -> {
				PreparedStatement statement = c.connection().prepareStatement("VACUUM INTO ?");
				try (statement) {
					statement.setString(1, target.toString());
					statement.execute();
				}
				return null;
			}, null);
			done = true;
		}
		finally {
			if (!done) {
				// a partial copy is no backup, and it would block the retry
				try {
					Files.deleteIfExists(target);
				}
				catch (IOException ex) {
					logger.warn("Could not delete the partial backup {} of store {}", target, this.location, ex);
				}
			}
		}
	}

	@Override
	public StoreStats stats() {
		checkUsable();
		long fileSize = size(this.path);
		long walSize = (this.path != null) ? size(Path.of(this.path + "-wal")) : 0;
		long free = -1;
		if (this.path != null) {
			try {
				free = Files.getFileStore(this.path).getUsableSpace();
			}
			catch (IOException ex) {
				// unknown
			}
		}
		else {
			fileSize = read((c) -> {
				try (Statement statement = c.connection().createStatement()) {
					return (long) single(statement, "PRAGMA page_count") * single(statement, "PRAGMA page_size");
				}
			}, null);
		}
		Map<String, DictStats> dicts = new LinkedHashMap<>();
		long now = now();
		for (Catalog.Entry entry : catalog()) {
			DictCounters dictCounters = this.counters.computeIfAbsent(entry.qualifiedName(), (n) -> new DictCounters());
			long entries = dictCounters.entries;
			if (entries < 0) {
				// never counted since the store opened: count once; sweeps keep it
				// current
				entries = read((c) -> new Table(entry.qualifiedName()).count(c, now), entry.qualifiedName());
				dictCounters.entries = entries;
			}
			dicts.put(entry.qualifiedName(), dictCounters.snapshot(entry.qualifiedName(), entries));
		}
		return new StoreStats(this.location, fileSize, walSize, free, dicts, maintenanceReport());
	}

	private @Nullable MaintenanceReport maintenanceReport() {
		Run sweep = this.lastSweep;
		Run vacuum = this.lastVacuum;
		Run integrity = this.lastIntegrityCheck;
		if (sweep == null && vacuum == null && integrity == null) {
			return null;
		}
		return new MaintenanceReport((sweep != null) ? sweep.at() : null, (sweep != null) ? sweep.count() : 0,
				(sweep != null) ? sweep.millis() : 0, (vacuum != null) ? vacuum.at() : null,
				(vacuum != null) ? vacuum.millis() : 0, (integrity != null) ? integrity.at() : null,
				integrity == null || "ok".equals(integrity.message()),
				(integrity != null) ? integrity.message() : "not checked");
	}

	private static long size(@Nullable Path file) {
		if (file == null) {
			return 0;
		}
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	@Override
	public @Nullable Path path() {
		return this.path;
	}

	@Override
	public StoreOptions options() {
		return this.options;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		// two threads closing at once: the second waits, then finds the store closed
		synchronized (this.closeLock) {
			if (!this.open) {
				return;
			}
			closeOnce();
		}
	}

	private void closeOnce() {
		try {
			WritePath path = this.writes;
			if (path != null && !this.touched.isEmpty()) {
				path.submit((w) -> null);
			}
			if (path != null && !this.memory) {
				path.outsideTransaction((w) -> {
					try (Statement statement = w.connection().createStatement()) {
						statement.execute("PRAGMA optimize");
						statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
					}
					return null;
				});
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Final checkpoint of store {} failed; the WAL will be replayed on the next open", this.location,
					ex);
		}
		finally {
			this.open = false;
			this.pool.close();
			this.readStates.clear();
			WritePath path = this.writes;
			if (path != null) {
				// with the write lock held: a write already under way commits (or fails)
				// whole before its connection closes, and none starts on a closed one
				path.outsideTransaction((w) -> {
					w.close();
					return null;
				});
			}
			synchronized (this.monitorLock) {
				if (this.monitor != null) {
					this.monitor.close();
				}
			}
			if (this.deleteOnClose && this.path != null) {
				for (String suffix : List.of("", "-wal", "-shm")) {
					try {
						Files.deleteIfExists(Path.of(this.path + suffix));
					}
					catch (IOException ex) {
						logger.debug("Could not delete temporary store file", ex);
					}
				}
			}
		}
	}

	private static void closeQuietly(@Nullable SqliteStore store) {
		if (store != null) {
			try {
				store.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Close after a failed open failed", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "DictStore[" + this.location + "]";
	}

	/**
	 * Applies the extra pragmas to every new connection.
	 */
	private static final class ConfiguredDataSource extends SQLiteDataSource {

		private static final long serialVersionUID = 1L;

		private final transient Map<String, String> pragmas;

		ConfiguredDataSource(SQLiteConfig config, StoreOptions options) {
			super(config);
			this.pragmas = options.pragmas();
		}

		@Override
		public SQLiteConnection getConnection(String username, String password) throws SQLException {
			SQLiteConnection connection = super.getConnection(username, password);
			if (!this.pragmas.isEmpty()) {
				try (Statement statement = connection.createStatement()) {
					for (Map.Entry<String, String> pragma : this.pragmas.entrySet()) {
						statement.execute("PRAGMA " + pragma.getKey() + " = " + pragma.getValue());
					}
				}
				catch (SQLException ex) {
					connection.close();
					throw ex;
				}
			}
			return connection;
		}

	}

}
