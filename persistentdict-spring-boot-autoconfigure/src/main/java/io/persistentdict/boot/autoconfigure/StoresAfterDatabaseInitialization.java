package io.persistentdict.boot.autoconfigure;

import java.util.Set;

import io.persistentdict.DictStore;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes every {@link DictStore} bean, the default one and those of
 * {@code persistentdict.stores}, depend on the database initializers (Flyway, Liquibase,
 * Boot's SQL scripts), so that a store on a database creates or validates its schema
 * after migrations have run. Harmless for SQLite stores. Loaded from
 * {@code spring.factories} only when Boot's database initialization is on the class path.
 *
 * @author persistentdict
 */
class StoresAfterDatabaseInitialization extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

	@Override
	protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
		return Set.of(DictStore.class);
	}

}
