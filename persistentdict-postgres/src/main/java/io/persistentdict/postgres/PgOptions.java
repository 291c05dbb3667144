package io.persistentdict.postgres;

import io.persistentdict.OpenMode;
import io.persistentdict.StoreOptions;

/**
 * Which {@link StoreOptions} mean something on PostgreSQL. Those that configure a SQLite
 * file or the store's own connection pool are refused by name, rather than silently
 * ignored: on PostgreSQL the application's {@code DataSource} is the pool.
 */
final class PgOptions {

	private static final StoreOptions DEFAULTS = StoreOptions.defaults();

	private PgOptions() {
	}

	static void check(StoreOptions options) {
		if (!options.pragmas().isEmpty()) {
			throw refused("pragma", "SQLite pragmas " + options.pragmas().keySet() + " mean nothing on PostgreSQL;"
					+ " set server parameters on the database, its role or the DataSource's connection options");
		}
		if (!options.connectionProperties().isEmpty()) {
			throw refused("connectionProperty", "sqlite-jdbc properties " + options.connectionProperties().keySet()
					+ " mean nothing on PostgreSQL; configure the DataSource (its pool and driver) instead");
		}
		if (!options.busyTimeout().equals(DEFAULTS.busyTimeout())) {
			throw refused("busyTimeout", "it is how long SQLite waits for another connection's lock; on PostgreSQL"
					+ " a write waits for row locks as the server's lock_timeout says (set it on the role or the"
					+ " DataSource's connection options), and for a connection as the DataSource's pool says");
		}
		if (options.readPoolSize() != DEFAULTS.readPoolSize()) {
			throw refused("readPoolSize",
					"the store has no pool of its own on PostgreSQL; size the DataSource's pool instead");
		}
		if (options.poolName() != null) {
			throw refused("poolName", "the store has no pool of its own on PostgreSQL; name the DataSource's pool");
		}
		if (options.metricsTrackerFactory() != null) {
			throw refused("poolMetrics",
					"the store has no pool of its own on PostgreSQL; track the DataSource's pool instead");
		}
		if (options.openMode() == OpenMode.RECREATE || options.openMode() == OpenMode.RECOVER) {
			throw refused("openMode", "OpenMode." + options.openMode() + " works on SQLite files only; on PostgreSQL"
					+ " use CREATE or READ_ONLY, and drop dicts with DictStore.drop(...)");
		}
	}

	private static IllegalArgumentException refused(String option, String why) {
		return new IllegalArgumentException("StoreOptions." + option + " is not supported on PostgreSQL: " + why);
	}

}
