package io.persistentdict;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.ServiceLoader;

import javax.sql.DataSource;

import io.persistentdict.StoreOpenException.Reason;
import io.persistentdict.engine.EngineProvider;

/**
 * Finds the engine for the database behind a {@link DataSource}.
 */
final class Engines {

	private Engines() {
	}

	static DictStore connect(DataSource dataSource, StoreOptions options) {
		String product = productName(dataSource);
		ClassLoader loader = (options.classLoader() != null) ? options.classLoader() : Engines.class.getClassLoader();
		for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, loader)) {
			if (provider.supports(product)) {
				return new EngineStore(provider.connect(dataSource, options));
			}
		}
		throw unsupported(product);
	}

	private static String productName(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName();
		}
		catch (SQLException | RuntimeException ex) {
			throw new StoreOpenException(null, Reason.UNREACHABLE, "Could not connect to the database of DataSource "
					+ dataSource.getClass().getName() + ": " + ex.getMessage()
					+ "; check that the database is running and reachable, and the URL, user and password it is given",
					ex);
		}
	}

	private static StoreOpenException unsupported(String product) {
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgres")) {
			return new StoreOpenException(null, Reason.ENGINE_MISSING,
					"The DataSource is on " + product
							+ ", whose engine is not on the class path: add io.persistentdict:persistentdict-postgres",
					null);
		}
		if (name.contains("sqlite")) {
			return new StoreOpenException(null, Reason.UNSUPPORTED_DATABASE,
					"The DataSource is on SQLite: open the"
							+ " file with DictStore.open(Path) instead, which sets it up as persistentdict needs",
					null);
		}
		return new StoreOpenException(null, Reason.UNSUPPORTED_DATABASE,
				"The DataSource is on " + product + ", which persistentdict does not run on: use PostgreSQL 14 or newer"
						+ " through DictStore.connect(DataSource), or a SQLite file through DictStore.open(Path)",
				null);
	}

}
