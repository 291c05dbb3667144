package io.persistentdict.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.persistentdict.OpenMode;
import io.persistentdict.StoreOptions;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * How a store's connections are made: the sqlite-jdbc configuration (WAL, synchronous,
 * busy timeout, the user's pragmas and driver properties) and the pool of read
 * connections.
 */
final class SqliteConnections {

	private SqliteConnections() {
	}

	/**
	 * Return the data source of a store's connections.
	 * @param url the JDBC URL
	 * @param options the options
	 * @param memory whether the database is in memory
	 * @param readOnly whether the store is read-only
	 * @return the data source
	 */
	static SQLiteDataSource dataSource(String url, StoreOptions options, boolean memory, boolean readOnly) {
		SQLiteDataSource dataSource = new ConfiguredDataSource(config(options, memory, readOnly), options);
		dataSource.setUrl(url);
		return dataSource;
	}

	private static SQLiteConfig config(StoreOptions options, boolean memory, boolean readOnly) {
		// sqlite-jdbc reads its connection properties when the config is built
		Properties properties = new Properties();
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

	/**
	 * Return the pool of read connections.
	 * @param location the store's location, for the pool's name
	 * @param options the options
	 * @param dataSource the data source
	 * @return the pool
	 */
	static HikariDataSource pool(String location, StoreOptions options, SQLiteDataSource dataSource) {
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
		// sqlite-jdbc fixes the flag when the connection opens; the pool must agree
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

		static final ScheduledThreadPoolExecutor EXECUTOR = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "persistentdict-pool-housekeeper");
				thread.setDaemon(true);
				// not the class loader of whichever application opened the first store:
				// that one may be redeployed while the thread lives on
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
