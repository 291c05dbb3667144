package io.persistentdict.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.OpenMode;
import io.persistentdict.Synchronous;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one store: 'persistentdict.store' and each of 'persistentdict.stores'.
 *
 * @author persistentdict
 */
public class StoreProperties {

	/**
	 * Engine of the store: 'sqlite' (a file) or 'jdbc' (the application's DataSource, one
	 * qualified with @PersistentDictDataSource, or 'jdbc.url'). A DataSource never
	 * switches the engine by itself.
	 */
	private StoreType type = StoreType.SQLITE;

	/**
	 * Path of the SQLite file. '~' is expanded and missing directories are created.
	 */
	private String path = "data/persistentdict.db";

	/**
	 * How durable a commit is: 'full' fsyncs every commit, 'normal' survives a crash of
	 * the process, 'off' risks the file on power loss.
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

}
