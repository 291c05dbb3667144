package io.persistentdict.boot.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.persistentdict.DictStore;
import io.persistentdict.StoreOptions;
import io.persistentdict.boot.autoconfigure.StoreProperties.Jdbc;
import io.persistentdict.boot.autoconfigure.StoreProperties.SchemaInitialization;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.ClassUtils;

/**
 * Connects the stores of {@code type=jdbc} to their {@link DataSource}: a pool of their
 * own for {@code jdbc.url} (never a bean; closed with the factory), else the bean
 * qualified with {@link PersistentDictDataSource @PersistentDictDataSource}, else the
 * application's. Refuses two stores of one application on the same database and schema,
 * whose dicts and caches would be one another's.
 *
 * @author persistentdict
 */
final class JdbcStores implements AutoCloseable {

	static final String ENGINE_CLASS = "io.persistentdict.postgres.PostgresEngineProvider";

	static final String DRIVER_CLASS = "org.postgresql.Driver";

	private final ObjectProvider<DataSource> qualified;

	private final ObjectProvider<DataSource> application;

	private final Binder binder;

	private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();

	/** Store name by database URL and schema. */
	private final Map<String, String> schemas = new ConcurrentHashMap<>();

	JdbcStores(ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> application, Binder binder) {
		this.qualified = qualified;
		this.application = application;
		this.binder = binder;
	}

	DictStore connect(String name, StoreProperties properties, StoreOptions.Builder options,
			@Nullable ClassLoader classLoader) {
		String prefix = StoreKeys.prefix(name);
		checkClassPath(name, prefix, classLoader);
		Jdbc jdbc = properties.getJdbc();
		// a pool of the store's own takes the pool metrics meant for it; the
		// application's DataSource has Boot's own meters
		MetricsTrackerFactory poolMetrics = (jdbc.getUrl() != null) ? options.build().metricsTrackerFactory() : null;
		if (poolMetrics != null) {
			options.poolMetrics(null);
		}
		DataSource dataSource = dataSource(name, prefix, properties, poolMetrics);
		options.schema(jdbc.getSchema())
			.unloggedCaches(jdbc.isUnloggedCaches())
			.createSchema(jdbc.getInitializeSchema() == SchemaInitialization.CREATE);
		DictStore store;
		try {
			store = DictStore.connect(dataSource, options.build());
		}
		catch (IllegalArgumentException ex) {
			throw new PersistentDictConfigurationException(prefix, "Store '" + name + "': " + ex.getMessage(),
					"Remove the SQLite-only setting from the store's keys or from the DictStoreOptionsCustomizer"
							+ " that set it.");
		}
		claimSchema(name, prefix, dataSource, jdbc.getSchema(), store);
		return store;
	}

	private static void checkClassPath(String name, String prefix, @Nullable ClassLoader classLoader) {
		String keep = "or remove '" + prefix + ".type' to keep the store in a SQLite file.";
		if (!ClassUtils.isPresent(ENGINE_CLASS, classLoader)) {
			throw new PersistentDictConfigurationException(prefix + ".type",
					"Store '" + name + "' is set to '" + prefix + ".type=jdbc', but the PostgreSQL engine of"
							+ " persistentdict is not on the class path.",
					"Add the dependency io.persistentdict:persistentdict-postgres beside the starter (with"
							+ " org.postgresql:postgresql, the PostgreSQL driver), " + keep);
		}
		if (!ClassUtils.isPresent(DRIVER_CLASS, classLoader)) {
			throw new PersistentDictConfigurationException(prefix + ".type",
					"Store '" + name + "' is set to '" + prefix + ".type=jdbc', but the PostgreSQL JDBC driver ("
							+ DRIVER_CLASS + ") is not on the class path.",
					"Add the dependency org.postgresql:postgresql beside io.persistentdict:persistentdict-postgres, "
							+ keep);
		}
	}

	private DataSource dataSource(String name, String prefix, StoreProperties properties,
			@Nullable MetricsTrackerFactory poolMetrics) {
		Jdbc jdbc = properties.getJdbc();
		if (jdbc.getUrl() != null) {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(jdbc.getUrl());
			pool.setUsername(jdbc.getUsername());
			pool.setPassword(jdbc.getPassword());
			pool.setPoolName("persistentdict-" + name);
			if (poolMetrics != null) {
				pool.setMetricsTrackerFactory(poolMetrics);
			}
			if (StoreKeys.isSet(this.binder, prefix + ".pool.maximum-size")) {
				pool.setMaximumPoolSize(properties.getPool().getMaximumSize());
			}
			this.pools.add(pool);
			return pool;
		}
		DataSource dataSource = this.qualified.getIfUnique();
		if (dataSource != null) {
			return dataSource;
		}
		dataSource = this.application.getIfUnique();
		if (dataSource != null) {
			return dataSource;
		}
		long count = this.application.stream().count();
		String ways = "set '" + prefix + ".jdbc.url' for a pool of the store's own, or qualify a DataSource bean"
				+ " with @PersistentDictDataSource (declared as @Bean(defaultCandidate = false)).";
		if (count == 0) {
			throw new PersistentDictConfigurationException(prefix + ".type",
					"Store '" + name + "' is set to '" + prefix + ".type=jdbc', but the application has no DataSource.",
					"Set 'spring.datasource.url' (with org.springframework.boot:spring-boot-starter-jdbc, so that"
							+ " Boot creates the DataSource), " + ways);
		}
		throw new PersistentDictConfigurationException(
				prefix + ".type", "Store '" + name + "' is set to '" + prefix + ".type=jdbc', but the application has "
						+ count + " DataSource beans and none of them is primary.",
				"Mark one of them @Primary, " + ways);
	}

	private void claimSchema(String name, String prefix, DataSource dataSource, String schema, DictStore store) {
		String database = database(dataSource);
		String other = this.schemas.putIfAbsent(database + " schema " + schema, name);
		if (other != null) {
			store.close();
			throw new PersistentDictConfigurationException(prefix + ".jdbc.schema",
					"Stores '" + other + "' and '" + name + "' are both on " + database + " in schema '" + schema
							+ "': their dicts and caches would be one another's.",
					"Give one of them another schema with '" + prefix + ".jdbc.schema', or use one store for both.");
		}
	}

	/** The database's URL without user information or parameters, or the pool's name. */
	private static String database(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String url = connection.getMetaData().getURL();
			if (url != null) {
				int query = url.indexOf('?');
				return ((query >= 0) ? url.substring(0, query) : url).replaceFirst("//[^/@]*@", "//");
			}
		}
		catch (SQLException ex) {
			// it just connected; fall back to the pool itself
		}
		return dataSource.getClass().getName() + "@" + System.identityHashCode(dataSource);
	}

	@Override
	public void close() {
		this.pools.forEach(HikariDataSource::close);
	}

}
