package io.persistentdict.boot.autoconfigure;

import java.util.List;

import io.persistentdict.OpenMode;
import io.persistentdict.boot.autoconfigure.StoreProperties.StoreType;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Refuses, at startup, a key of one engine that the user set on a store of the other.
 * {@code synchronous} and {@code open-mode} ({@code create}, {@code read-only}) apply to
 * both engines; {@code pool.maximum-size} sizes a SQLite store's read pool, or the pool
 * that a {@code jdbc} store builds for {@code jdbc.url}.
 *
 * @author persistentdict
 */
final class StoreKeys {

	/** Keys that only a SQLite file means something for. */
	private static final List<String> SQLITE_ONLY = List.of("path", "pragmas", "busy-timeout");

	/** Keys that only a store on a database means something for. */
	private static final List<String> JDBC_ONLY = List.of("jdbc.url", "jdbc.username", "jdbc.password", "jdbc.schema",
			"jdbc.unlogged-caches", "jdbc.initialize-schema");

	private StoreKeys() {
	}

	static String prefix(String storeName) {
		return PersistentDictProperties.DEFAULT_STORE.equals(storeName) ? "persistentdict.store"
				: "persistentdict.stores." + storeName;
	}

	static void check(Binder binder, String storeName, StoreProperties store) {
		String prefix = prefix(storeName);
		if (store.getType() == StoreType.SQLITE) {
			for (String key : JDBC_ONLY) {
				if (isSet(binder, prefix + "." + key)) {
					throw new PersistentDictConfigurationException(prefix + "." + key,
							"'" + prefix + "." + key + "' is set, but store '" + storeName + "' is a SQLite file ('"
									+ prefix + ".type' is 'sqlite', the default).",
							"Set '" + prefix + ".type=jdbc' to put the store on a database, or remove the '" + prefix
									+ ".jdbc.*' keys.");
				}
			}
			return;
		}
		for (String key : SQLITE_ONLY) {
			if (isSet(binder, prefix + "." + key)) {
				throw sqliteOnly(prefix, storeName, key, switch (key) {
					case "pragmas" -> "set server parameters on the database or its role instead.";
					case "busy-timeout" -> "PostgreSQL waits for locks as its lock_timeout says; set it on the"
							+ " database, its role or the DataSource's connection options instead.";
					default ->
						"the store lives in the database of its DataSource, in schema '" + prefix + ".jdbc.schema'.";
				});
			}
		}
		if (store.getOpenMode() == OpenMode.RECREATE || store.getOpenMode() == OpenMode.RECOVER) {
			throw sqliteOnly(prefix, storeName, "open-mode",
					"on a database only 'create' and 'read-only' apply; drop a dict with DictStore.drop(...).");
		}
		if (store.getJdbc().getUrl() == null) {
			if (isSet(binder, prefix + ".pool.maximum-size")) {
				throw new PersistentDictConfigurationException(prefix + ".pool.maximum-size",
						"'" + prefix + ".pool.maximum-size' is set, but store '" + storeName
								+ "' uses a DataSource of the application, whose pool is its own.",
						"Size the DataSource's pool (such as 'spring.datasource.hikari.maximum-pool-size'), or set '"
								+ prefix + ".jdbc.url' for a pool of the store's own.");
			}
			for (String key : List.of("jdbc.username", "jdbc.password")) {
				if (isSet(binder, prefix + "." + key)) {
					throw new PersistentDictConfigurationException(prefix + "." + key,
							"'" + prefix + "." + key + "' is set without '" + prefix + ".jdbc.url'.",
							"Set '" + prefix + ".jdbc.url' too, or remove '" + prefix + "." + key + "'.");
				}
			}
		}
	}

	static boolean isSet(Binder binder, String key) {
		return binder.bind(key, Bindable.of(String.class)).isBound()
				|| binder.bind(key, Bindable.mapOf(String.class, String.class)).isBound();
	}

	private static PersistentDictConfigurationException sqliteOnly(String prefix, String storeName, String key,
			String why) {
		return new PersistentDictConfigurationException(prefix + "." + key,
				"'" + prefix + "." + key + "' applies to SQLite files only, but store '" + storeName
						+ "' is on a database ('" + prefix + ".type=jdbc'): " + why,
				"Remove '" + prefix + "." + key + "', or set '" + prefix + ".type=sqlite'.");
	}

}
