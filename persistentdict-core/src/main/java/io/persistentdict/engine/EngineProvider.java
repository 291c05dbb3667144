package io.persistentdict.engine;

import javax.sql.DataSource;

import io.persistentdict.StoreOptions;

/**
 * An engine that serves a database behind a {@link DataSource}, found by
 * {@link io.persistentdict.DictStore#connect(DataSource)} through
 * {@link java.util.ServiceLoader}: an engine's module lists its provider in
 * {@code META-INF/services/io.persistentdict.engine.EngineProvider}.
 */
public interface EngineProvider {

	/**
	 * Return the engine's name, for messages.
	 * @return the name
	 */
	String name();

	/**
	 * Return whether this engine serves a database.
	 * @param databaseProductName what the driver reports as
	 * {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
	 * @return whether it does
	 */
	boolean supports(String databaseProductName);

	/**
	 * Open an engine on the database behind a data source. The engine borrows connections
	 * from it and never closes it.
	 * @param dataSource the data source
	 * @param options the options, which the engine checks
	 * @return the engine, with its schema created or validated
	 * @throws io.persistentdict.StoreOpenException if it cannot open
	 * @throws IllegalArgumentException for an option the engine does not support
	 */
	Engine connect(DataSource dataSource, StoreOptions options);

}
