package io.persistentdict;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.testing.postgres.TestPostgres;
import org.jspecify.annotations.Nullable;

/**
 * Stores on the test PostgreSQL, one schema a name, in one database and behind one
 * HikariCP pool for the whole JVM. Each fixture has a prefix of its own, so that two
 * tests' stores of the same name are different stores; closing the fixture drops its
 * schemas.
 */
public final class PostgresFixture extends StoreFixture {

	private static final AtomicInteger FIXTURES = new AtomicInteger();

	private static volatile @Nullable HikariDataSource shared;

	private final String prefix = "f" + FIXTURES.incrementAndGet() + "_";

	private final Set<String> schemas = ConcurrentHashMap.newKeySet();

	/**
	 * Return the JVM's pool on the test database, made on first use.
	 * @return the pool
	 */
	public static DataSource dataSource() {
		HikariDataSource current = shared;
		if (current == null) {
			synchronized (PostgresFixture.class) {
				current = shared;
				if (current == null) {
					current = pool(TestPostgres.server().newDatabase(), 16);
					shared = current;
				}
			}
		}
		return current;
	}

	/**
	 * Return a new pool on a database.
	 * @param url the database's JDBC URL
	 * @param size the most connections
	 * @return the pool; the caller closes it
	 */
	public static HikariDataSource pool(String url, int size) {
		return pool(url, size, false);
	}

	/**
	 * Return a new pool on a database.
	 * @param url the database's JDBC URL
	 * @param size the most connections
	 * @param durable whether commits are durable, for a test that crashes the server; the
	 * others run with {@code synchronous_commit} off, to save the fsyncs
	 * @return the pool; the caller closes it
	 */
	public static HikariDataSource pool(String url, int size, boolean durable) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(0);
		config.setPoolName("pd-test-" + FIXTURES.get());
		// PL/pgSQL keeps a compiled copy of each trigger function per trigger and
		// connection, and DDL walks them: the tests create thousands of dict tables, so
		// their connections live short lives
		config.setMaxLifetime(30_000);
		// the tests' commits need not survive a crash of the server, which is thrown
		// away;
		// the engine runs exactly as it would with durable commits
		if (!durable) {
			config.setConnectionInitSql("SET synchronous_commit = off");
		}
		return new HikariDataSource(config);
	}

	/**
	 * Return the schema of a store name.
	 * @param name the name
	 * @return the schema
	 */
	public String schema(String name) {
		String schema = this.prefix + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		return (schema.length() > 63) ? schema.substring(0, 63) : schema;
	}

	@Override
	public DictStore open(String name, StoreOptions options) {
		String schema = schema(name);
		this.schemas.add(schema);
		return DictStore.connect(dataSource(), options.toBuilder().schema(schema).build());
	}

	@Override
	public void close() {
		try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
			for (String schema : this.schemas) {
				statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop the fixture's schemas", ex);
		}
		this.schemas.clear();
	}

}
