package io.persistentdict.postgres;

import java.util.Objects;

import javax.sql.DataSource;

import io.persistentdict.StoreOptions;
import io.persistentdict.engine.Engine;
import io.persistentdict.engine.EngineProvider;

/**
 * The PostgreSQL engine's provider, found by
 * {@link io.persistentdict.DictStore#connect(DataSource)} through
 * {@link java.util.ServiceLoader}. Applications never use it directly.
 */
public final class PostgresEngineProvider implements EngineProvider {

	@Override
	public String name() {
		return "PostgreSQL";
	}

	@Override
	public boolean supports(String databaseProductName) {
		return "PostgreSQL".equalsIgnoreCase(databaseProductName);
	}

	@Override
	public Engine connect(DataSource dataSource, StoreOptions options) {
		Objects.requireNonNull(dataSource, "dataSource must not be null");
		Objects.requireNonNull(options, "options must not be null");
		return PgEngine.connect(dataSource, options);
	}

}
