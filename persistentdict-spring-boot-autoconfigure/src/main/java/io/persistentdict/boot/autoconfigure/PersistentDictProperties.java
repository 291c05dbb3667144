package io.persistentdict.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.persistentdict.OpenMode;
import io.persistentdict.Synchronous;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for persistentdict.
 *
 * @author persistentdict
 */
@ConfigurationProperties("persistentdict")
public class PersistentDictProperties {

	/**
	 * Name that refers to the default store in 'store' keys of maps and caches.
	 */
	public static final String DEFAULT_STORE = "default";

	/**
	 * Default store.
	 */
	private final Store store = new Store();

	/**
	 * Additional stores, each in its own file or database schema, by name.
	 */
	private final Map<String, Store> stores = new LinkedHashMap<>();

	/**
	 * Maps to expose as PersistentDict beans, by bean name.
	 */
	private final Map<String, MapDefinition> maps = new LinkedHashMap<>();

	private final Serialization serialization = new Serialization();

	private final Cache cache = new Cache();

	private final Maintenance maintenance = new Maintenance();

	public Store getStore() {
		return this.store;
	}

	public Map<String, Store> getStores() {
		return this.stores;
	}

	public Map<String, MapDefinition> getMaps() {
		return this.maps;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Maintenance getMaintenance() {
		return this.maintenance;
	}

	/**
	 * Engine of a store.
	 */
	public enum StoreType {

		/**
		 * A SQLite file, at 'path'.
		 */
		SQLITE,

		/**
		 * A database behind a DataSource: PostgreSQL, with
		 * io.persistentdict:persistentdict-postgres and its driver on the class path.
		 */
		JDBC

	}

	/**
	 * How a store on a database treats its schema.
	 */
	public enum SchemaInitialization {

		/**
		 * Create the schema and its tables when missing (after Flyway and Liquibase have
		 * run), and validate them.
		 */
		CREATE,

		/**
		 * Only validate: the schema is managed elsewhere, such as by a migration from
		 * META-INF/persistentdict/postgresql-schema.sql.
		 */
		VALIDATE

	}

	/**
	 * Settings of one store.
	 */
	public static class Store {

		/**
		 * Engine of the store: 'sqlite' (a file) or 'jdbc' (the application's DataSource,
		 * one qualified with @PersistentDictDataSource, or 'jdbc.url'). A DataSource
		 * never switches the engine by itself.
		 */
		private StoreType type = StoreType.SQLITE;

		/**
		 * Path of the SQLite file. '~' is expanded and missing directories are created.
		 */
		private String path = "data/persistentdict.db";

		/**
		 * How durable a commit is: 'full' fsyncs every commit, 'normal' survives a crash
		 * of the process, 'off' risks the file on power loss.
		 */
		private Synchronous synchronous = Synchronous.NORMAL;

		/**
		 * How long to wait for a lock held by another connection or process.
		 */
		private Duration busyTimeout = Duration.ofSeconds(5);

		/**
		 * How the file is opened: 'create', 'read-only', 'recreate' (deletes the file) or
		 * 'recover' (moves a corrupt file aside).
		 */
		private OpenMode openMode = OpenMode.CREATE;

		/**
		 * Additional SQLite pragmas set on every connection, such as 'cache_size'.
		 */
		private final Map<String, String> pragmas = new LinkedHashMap<>();

		private final Pool pool = new Pool();

		private final Jdbc jdbc = new Jdbc();

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		public Jdbc getJdbc() {
			return this.jdbc;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Synchronous getSynchronous() {
			return this.synchronous;
		}

		public void setSynchronous(Synchronous synchronous) {
			this.synchronous = synchronous;
		}

		public Duration getBusyTimeout() {
			return this.busyTimeout;
		}

		public void setBusyTimeout(Duration busyTimeout) {
			this.busyTimeout = busyTimeout;
		}

		public OpenMode getOpenMode() {
			return this.openMode;
		}

		public void setOpenMode(OpenMode openMode) {
			this.openMode = openMode;
		}

		public Map<String, String> getPragmas() {
			return this.pragmas;
		}

		public Pool getPool() {
			return this.pool;
		}

	}

	/**
	 * Settings of a store on a database ('type=jdbc').
	 */
	public static class Jdbc {

		/**
		 * JDBC URL of the database, for a pool of the store's own that is not exposed as
		 * a DataSource bean. Absent means the DataSource qualified
		 * with @PersistentDictDataSource, otherwise the application's DataSource.
		 */
		private @Nullable String url;

		/**
		 * Login user of the database at 'url'.
		 */
		private @Nullable String username;

		/**
		 * Login password of the database at 'url'.
		 */
		private @Nullable String password;

		/**
		 * Schema that holds the store's catalog and tables.
		 */
		private String schema = "persistentdict";

		/**
		 * Whether the tables of caches are UNLOGGED: faster writes, but emptied after a
		 * server crash and not replicated.
		 */
		private boolean unloggedCaches;

		/**
		 * Whether the store creates its schema and tables when missing, or only validates
		 * them.
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.CREATE;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public String getSchema() {
			return this.schema;
		}

		public void setSchema(String schema) {
			this.schema = schema;
		}

		public boolean isUnloggedCaches() {
			return this.unloggedCaches;
		}

		public void setUnloggedCaches(boolean unloggedCaches) {
			this.unloggedCaches = unloggedCaches;
		}

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * Connection pool of a store.
	 */
	public static class Pool {

		/**
		 * Maximum number of read connections of a SQLite store (the single write
		 * connection comes on top), or of the pool a 'jdbc' store builds for 'jdbc.url'.
		 */
		private int maximumSize = 4;

		public int getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(int maximumSize) {
			this.maximumSize = maximumSize;
		}

	}

	/**
	 * A map exposed as a PersistentDict bean.
	 */
	public static class MapDefinition {

		/**
		 * Type of the keys: String, Long, Integer or UUID.
		 */
		private Class<?> keyType = String.class;

		/**
		 * Type of the values.
		 */
		private @Nullable Class<?> valueType;

		/**
		 * Time after which an entry expires. Absent means never.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether reads extend an entry's life (expire after access). Needs a ttl.
		 */
		private boolean sliding;

		/**
		 * Codec of the values: 'java', 'json', 'string', 'bytes', 'long', 'int',
		 * 'double', 'boolean' or the name of a Codec bean. Absent means the default for
		 * the value type: a matching built-in codec, otherwise 'java'.
		 */
		private @Nullable String codec;

		/**
		 * Size from which encoded values are compressed. A negative size never
		 * compresses.
		 */
		private DataSize compressionThreshold = DataSize.ofKilobytes(1);

		/**
		 * Store that holds the map: 'default' or the name of an entry of
		 * 'persistentdict.stores'.
		 */
		private String store = "default";

		/**
		 * Number of hot entries to keep in this JVM (as stored bytes) so that repeated
		 * reads skip SQLite. 0 turns the near cache off. Writes by other processes are
		 * seen within 5 ms.
		 */
		private int nearCache;

		public int getNearCache() {
			return this.nearCache;
		}

		public void setNearCache(int nearCache) {
			this.nearCache = nearCache;
		}

		public Class<?> getKeyType() {
			return this.keyType;
		}

		public void setKeyType(Class<?> keyType) {
			this.keyType = keyType;
		}

		public @Nullable Class<?> getValueType() {
			return this.valueType;
		}

		public void setValueType(@Nullable Class<?> valueType) {
			this.valueType = valueType;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public boolean isSliding() {
			return this.sliding;
		}

		public void setSliding(boolean sliding) {
			this.sliding = sliding;
		}

		public @Nullable String getCodec() {
			return this.codec;
		}

		public void setCodec(@Nullable String codec) {
			this.codec = codec;
		}

		public DataSize getCompressionThreshold() {
			return this.compressionThreshold;
		}

		public void setCompressionThreshold(DataSize compressionThreshold) {
			this.compressionThreshold = compressionThreshold;
		}

		public String getStore() {
			return this.store;
		}

		public void setStore(String store) {
			this.store = store;
		}

	}

	/**
	 * Java serialization settings.
	 */
	public static class Serialization {

		/**
		 * Additional classes the java codec may deserialize: 'com.example.Order', one
		 * package 'com.example.*' or a package tree 'com.example.**'. Declared value
		 * types, JDK value types and the application's packages are always allowed.
		 */
		private List<String> allowedTypes = new ArrayList<>();

		public List<String> getAllowedTypes() {
			return this.allowedTypes;
		}

		public void setAllowedTypes(List<String> allowedTypes) {
			this.allowedTypes = allowedTypes;
		}

	}

	/**
	 * Cache manager settings.
	 */
	public static class Cache {

		/**
		 * Whether to auto-configure a CacheManager when caching is enabled.
		 */
		private boolean enabled = true;

		/**
		 * Codec of cached values: 'java' or the name of a Codec bean.
		 */
		private String codec = "java";

		/**
		 * Default time after which a cache entry expires. Absent means never.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether reads extend an entry's life (expire after access) by default. Needs a
		 * ttl.
		 */
		private boolean sliding;

		/**
		 * Whether to cache null values.
		 */
		private boolean allowNullValues = true;

		/**
		 * Size from which encoded values are compressed. A negative size never
		 * compresses.
		 */
		private DataSize compressionThreshold = DataSize.ofKilobytes(1);

		/**
		 * Number of hot entries of each cache to keep in this JVM (as stored bytes) so
		 * that repeated hits skip SQLite. 0 turns the near cache off. Writes by other
		 * processes are seen within 5 ms.
		 */
		private int nearCache;

		public int getNearCache() {
			return this.nearCache;
		}

		public void setNearCache(int nearCache) {
			this.nearCache = nearCache;
		}

		/**
		 * Caches to create on startup.
		 */
		private List<String> cacheNames = new ArrayList<>();

		/**
		 * Whether caches that are not configured are created when first asked for.
		 */
		private boolean createOnDemand = true;

		/**
		 * Per-cache settings, by cache name. Listed caches are created on startup.
		 */
		private final Map<String, CacheDefinition> caches = new LinkedHashMap<>();

		/**
		 * Store that holds the caches: 'default' or the name of an entry of
		 * 'persistentdict.stores'.
		 */
		private String store = "default";

		/**
		 * Whether puts and evictions are deferred until the surrounding transaction
		 * commits.
		 */
		private boolean transactionAware;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getCodec() {
			return this.codec;
		}

		public void setCodec(String codec) {
			this.codec = codec;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public boolean isSliding() {
			return this.sliding;
		}

		public void setSliding(boolean sliding) {
			this.sliding = sliding;
		}

		public boolean isAllowNullValues() {
			return this.allowNullValues;
		}

		public void setAllowNullValues(boolean allowNullValues) {
			this.allowNullValues = allowNullValues;
		}

		public DataSize getCompressionThreshold() {
			return this.compressionThreshold;
		}

		public void setCompressionThreshold(DataSize compressionThreshold) {
			this.compressionThreshold = compressionThreshold;
		}

		public List<String> getCacheNames() {
			return this.cacheNames;
		}

		public void setCacheNames(List<String> cacheNames) {
			this.cacheNames = cacheNames;
		}

		public boolean isCreateOnDemand() {
			return this.createOnDemand;
		}

		public void setCreateOnDemand(boolean createOnDemand) {
			this.createOnDemand = createOnDemand;
		}

		public Map<String, CacheDefinition> getCaches() {
			return this.caches;
		}

		public String getStore() {
			return this.store;
		}

		public void setStore(String store) {
			this.store = store;
		}

		public boolean isTransactionAware() {
			return this.transactionAware;
		}

		public void setTransactionAware(boolean transactionAware) {
			this.transactionAware = transactionAware;
		}

	}

	/**
	 * Settings of one cache.
	 */
	public static class CacheDefinition {

		/**
		 * Time after which an entry of this cache expires. Absent means the default ttl.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether reads extend an entry's life. Absent means the default.
		 */
		private @Nullable Boolean sliding;

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public @Nullable Boolean getSliding() {
			return this.sliding;
		}

		public void setSliding(@Nullable Boolean sliding) {
			this.sliding = sliding;
		}

	}

	/**
	 * Scheduled maintenance settings.
	 */
	public static class Maintenance {

		/**
		 * Whether to sweep expired entries and vacuum the stores on a schedule.
		 */
		private boolean enabled = true;

		/**
		 * Delay before the first sweep and vacuum after startup.
		 */
		private Duration initialDelay = Duration.ofSeconds(30);

		/**
		 * Time between sweeps of expired entries.
		 */
		private Duration sweepInterval = Duration.ofMinutes(1);

		/**
		 * Time between scheduled vacuums (a bounded incremental vacuum and a WAL
		 * checkpoint). The due time is kept in the file, so instances sharing it do not
		 * all vacuum.
		 */
		private Duration vacuumInterval = Duration.ofHours(24);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

		public Duration getVacuumInterval() {
			return this.vacuumInterval;
		}

		public void setVacuumInterval(Duration vacuumInterval) {
			this.vacuumInterval = vacuumInterval;
		}

	}

}
