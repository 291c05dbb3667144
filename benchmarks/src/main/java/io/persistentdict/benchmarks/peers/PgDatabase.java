package io.persistentdict.benchmarks.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.testing.postgres.TestPostgres;

/**
 * A database of one store's own on the benchmark's PostgreSQL, dropped on close. The
 * server is {@link TestPostgres#server()}: the suite starts one embedded PostgreSQL on
 * 127.0.0.1 and hands its URL to every fork as the system property
 * {@value TestPostgres#URL_SYSTEM_PROPERTY}, so that every peer of a run shares one
 * server and its disk.
 */
final class PgDatabase implements AutoCloseable {

	/** Enough connections for the most threads a benchmark runs (8), and one more. */
	static final int POOL_SIZE = 10;

	private final TestPostgres server;

	private final String name;

	private final String url;

	private PgDatabase(TestPostgres server, String name, String url) {
		this.server = server;
		this.name = name;
		this.url = url;
	}

	static PgDatabase create() {
		TestPostgres server = TestPostgres.server();
		String name = "bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		return new PgDatabase(server, name, server.createDatabase(name));
	}

	/**
	 * Open a connection of the caller's own, outside any pool.
	 * @return the connection
	 * @throws SQLException if it cannot be opened
	 */
	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url);
	}

	/**
	 * A HikariCP pool of {@value #POOL_SIZE} connections, as an application would hand
	 * the store, returned once all of them are open: HikariCP opens all but the first in
	 * the background, and a benchmark that opens a store per iteration (the bulk
	 * {@code putAll}) would otherwise measure nine connection starts (a server process
	 * each) beside its own work, which raw pgjdbc's one connection does not pay.
	 * @return the pool, which the caller closes
	 */
	HikariDataSource pool() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.url);
		config.setPoolName("bench-" + this.name);
		config.setMaximumPoolSize(POOL_SIZE);
		config.setMinimumIdle(POOL_SIZE);
		HikariDataSource pool = new HikariDataSource(config);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (pool.getHikariPoolMXBean().getTotalConnections() < POOL_SIZE) {
			if (System.nanoTime() > deadline) {
				pool.close();
				throw new IllegalStateException("The pool of " + this.name + " did not open " + POOL_SIZE
						+ " connections in 30 s: is the server's max_connections too low?");
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				pool.close();
				throw new IllegalStateException(ex);
			}
		}
		return pool;
	}

	@Override
	public void close() {
		this.server.dropDatabase(this.name);
	}

}
