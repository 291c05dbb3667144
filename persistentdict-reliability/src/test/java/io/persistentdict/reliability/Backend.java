package io.persistentdict.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.DictStore;
import io.persistentdict.StoreOptions;
import io.persistentdict.Synchronous;
import io.persistentdict.testing.postgres.TestPostgres;
import org.jspecify.annotations.Nullable;

/**
 * Where a test's stores live, so that one test runs on either engine: a SQLite file, or a
 * schema of the test PostgreSQL behind a HikariCP pool of this backend's own.
 *
 * <p>
 * A child JVM gets its parent's backend as one argument, {@link #argument()}, and
 * {@link #childEnvironment()} in its environment: for PostgreSQL that is the test
 * database's URL as {@value TestPostgres#URL_ENVIRONMENT_VARIABLE}, so that no password
 * travels on a command line.
 */
abstract sealed class Backend implements AutoCloseable {

	private static @Nullable String database;

	/**
	 * A SQLite file.
	 * @param file the file
	 * @return the backend
	 */
	static Backend sqlite(Path file) {
		return new Sqlite(file);
	}

	/**
	 * A schema in this JVM's test database on the test PostgreSQL, made on first use.
	 * @param schema the schema
	 * @param poolSize the most connections of its pool
	 * @param durable whether commits wait for the server's WAL flush; the tests that do
	 * not crash anything run with {@code synchronous_commit} off, which a store's writes
	 * never notice
	 * @return the backend
	 */
	static Backend postgres(String schema, int poolSize, boolean durable) {
		return new Postgres(testDatabase(), schema, poolSize, durable, "pd-reliability");
	}

	/**
	 * A schema in this JVM's test database, reached by a URL that carries a password, so
	 * that a test can check that no message shows it: the server's own password, or, for
	 * the embedded server (which trusts local connections and ignores it), the one given.
	 * @param schema the schema
	 * @param poolSize the most connections of its pool
	 * @param durable whether commits wait for the server's WAL flush
	 * @param password the password to put in the URL when the server has none
	 * @return the backend
	 */
	static Postgres postgresWithPassword(String schema, int poolSize, boolean durable, String password) {
		String url = testDatabase();
		if (TestPostgres.server().password().isEmpty()) {
			url = url + (url.contains("?") ? "&" : "?") + "password=" + password;
		}
		return new Postgres(url, schema, poolSize, durable, "pd-reliability");
	}

	private static synchronized String testDatabase() {
		if (database == null) {
			database = TestPostgres.server().newDatabase();
		}
		return database;
	}

	/**
	 * Read a backend from a child JVM's argument; a PostgreSQL one connects to the
	 * database that its parent put in the environment, and names its sessions after the
	 * JVM's process id (see {@link #awaitSessionsOf(long)}).
	 * @param argument what {@link #argument()} gave the parent
	 * @param poolSize the most connections, for PostgreSQL
	 * @return the backend
	 */
	static Backend parse(String argument, int poolSize) {
		String[] parts = argument.split(":", 3);
		return switch (parts[0]) {
			case "sqlite" -> new Sqlite(Path.of(parts[1]));
			case "postgres" -> new Postgres(TestPostgres.server().jdbcUrl(), parts[1], poolSize,
					Boolean.parseBoolean(parts[2]), applicationName(ProcessHandle.current().pid()));
			default -> throw new IllegalArgumentException("Unknown backend " + argument);
		};
	}

	private static String applicationName(long pid) {
		return "pd-reliability-child-" + pid;
	}

	/** Name for reports: SQLite or PostgreSQL. */
	abstract String engine();

	/** The argument that gives a child JVM this backend. */
	abstract String argument();

	/** What a child JVM needs in its environment. */
	abstract Map<String, String> childEnvironment();

	/**
	 * Open a store.
	 * @param options the options; a PostgreSQL backend sets the schema
	 * @return the store
	 */
	abstract DictStore open(StoreOptions options);

	DictStore open() {
		return open(StoreOptions.defaults());
	}

	/**
	 * Whether a {@code Layout.ROWID} dict iterates in insertion order; on PostgreSQL
	 * every dict iterates in key order.
	 */
	abstract boolean insertionOrder();

	/** Whether a text key may hold NUL; PostgreSQL's {@code text} cannot. */
	abstract boolean nulInKeys();

	/** The two commit modes a crash test alternates. */
	abstract List<Synchronous> commitModes();

	/** Whether a vacuum does anything, so that a kill can land in one. */
	abstract boolean vacuums();

	/**
	 * Wait until nothing of a killed child JVM is at work any more. A SQLite transaction
	 * dies with its process. A PostgreSQL server, though, finishes the statement a
	 * session runs, a {@code COMMIT} too, before it notices that the client is gone:
	 * until the child's sessions have ended, its last transaction may still commit.
	 * @param pid the child's process id
	 * @return how many of its sessions were still there when the wait began
	 */
	abstract long awaitSessionsOf(long pid);

	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return engine() + " " + argument();
	}

	static final class Sqlite extends Backend {

		private final Path file;

		Sqlite(Path file) {
			this.file = file;
		}

		@Override
		String engine() {
			return "SQLite";
		}

		@Override
		String argument() {
			return "sqlite:" + this.file;
		}

		@Override
		Map<String, String> childEnvironment() {
			return Map.of();
		}

		@Override
		DictStore open(StoreOptions options) {
			return DictStore.open(this.file, options);
		}

		@Override
		boolean insertionOrder() {
			return true;
		}

		@Override
		boolean nulInKeys() {
			return true;
		}

		@Override
		List<Synchronous> commitModes() {
			return List.of(Synchronous.NORMAL, Synchronous.FULL);
		}

		@Override
		boolean vacuums() {
			return true;
		}

		@Override
		long awaitSessionsOf(long pid) {
			return 0;
		}

	}

	static final class Postgres extends Backend {

		private final String url;

		private final String schema;

		private final boolean durable;

		private final HikariDataSource pool;

		Postgres(String url, String schema, int poolSize, boolean durable, String applicationName) {
			this.url = Objects.requireNonNull(url, "url must not be null");
			this.schema = schema;
			this.durable = durable;
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url);
			config.setMaximumPoolSize(poolSize);
			config.setMinimumIdle(0);
			config.setPoolName("reliability-" + schema);
			config.addDataSourceProperty("ApplicationName", applicationName);
			// a test that takes the server away shortens the wait for a connection
			long timeout = Long.getLong("reliability.pool.connectionTimeout", 30_000);
			config.setConnectionTimeout(timeout);
			config.setValidationTimeout(Math.min(timeout, 5_000));
			if (!durable) {
				config.setConnectionInitSql("SET synchronous_commit = off");
			}
			this.pool = new HikariDataSource(config);
		}

		@Override
		String engine() {
			return "PostgreSQL";
		}

		@Override
		String argument() {
			return "postgres:" + this.schema + ":" + this.durable;
		}

		@Override
		Map<String, String> childEnvironment() {
			return Map.of(TestPostgres.URL_ENVIRONMENT_VARIABLE, this.url);
		}

		@Override
		DictStore open(StoreOptions options) {
			return DictStore.connect(this.pool, options.toBuilder().schema(this.schema).build());
		}

		@Override
		boolean insertionOrder() {
			return false;
		}

		@Override
		boolean nulInKeys() {
			return false;
		}

		/** Durable commits, and {@code SET LOCAL synchronous_commit = off}. */
		@Override
		List<Synchronous> commitModes() {
			return List.of(Synchronous.FULL, Synchronous.OFF);
		}

		@Override
		boolean vacuums() {
			return false;
		}

		@Override
		long awaitSessionsOf(long pid) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			long first = -1;
			long sessions;
			do {
				try (Connection connection = this.pool.getConnection();
						PreparedStatement statement = connection
							.prepareStatement("SELECT count(*) FROM pg_stat_activity"
									+ " WHERE datname = current_database() AND application_name = ?")) {
					statement.setString(1, applicationName(pid));
					try (ResultSet rs = statement.executeQuery()) {
						rs.next();
						sessions = rs.getLong(1);
					}
					first = (first < 0) ? sessions : first;
					if (sessions > 0) {
						Thread.sleep(5);
					}
				}
				catch (SQLException ex) {
					throw new IllegalStateException("Could not list the sessions of child " + pid, ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			while (sessions > 0 && System.nanoTime() < deadline);
			if (sessions > 0) {
				throw new AssertionError(sessions + " sessions of killed child " + pid + " still run after 30 s");
			}
			return first;
		}

		/** The pool, for its statistics and for settings a test changes. */
		HikariDataSource pool() {
			return this.pool;
		}

		@Override
		public void close() {
			this.pool.close();
		}

	}

}
