package io.persistentdict.boot.autoconfigure;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.persistentdict.DictStore;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for persistentdict stores and map beans. Runs after Boot's
 * {@code DataSourceAutoConfiguration}, for stores of {@code type=jdbc}.
 *
 * @author persistentdict
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(DictStore.class)
@EnableConfigurationProperties(PersistentDictProperties.class)
@Import(PersistentDictBeanRegistrar.class)
public final class PersistentDictAutoConfiguration {

	/** Classes Spring's cache abstraction stores in a cache. */
	private static final List<String> CACHE_TYPES = List.of("org.springframework.cache.support.NullValue",
			"org.springframework.cache.interceptor.SimpleKey");

	PersistentDictAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	DictStoreFactory dictStoreFactory(PersistentDictProperties properties, ObjectProvider<InstantSource> clock,
			ObjectProvider<DictStoreOptionsCustomizer> customizers, ListableBeanFactory beanFactory,
			Environment environment, @PersistentDictDataSource ObjectProvider<DataSource> persistentDictDataSource,
			ObjectProvider<DataSource> dataSource) {
		Binder binder = Binder.get(environment);
		return new DictStoreFactory(allowedTypes(properties, beanFactory), clock.getIfUnique(),
				customizers.orderedStream().toList(), beanFactory, binder,
				new JdbcStores(persistentDictDataSource, dataSource, binder));
	}

	/**
	 * The default store. A store on a database is created after Flyway, Liquibase and
	 * Boot's SQL scripts have run, through {@link StoresAfterDatabaseInitialization}.
	 */
	@Bean
	@Primary
	@ConditionalOnMissingBean(DictStore.class)
	DictStore dictStore(DictStoreFactory factory, PersistentDictProperties properties) {
		return factory.open(PersistentDictProperties.DEFAULT_STORE, properties.getStore());
	}

	private static List<String> allowedTypes(PersistentDictProperties properties, ListableBeanFactory beanFactory) {
		List<String> allowed = new ArrayList<>();
		if (AutoConfigurationPackages.has(beanFactory)) {
			for (String pkg : AutoConfigurationPackages.get(beanFactory)) {
				if (!pkg.isEmpty()) {
					allowed.add(pkg + ".**");
				}
			}
		}
		allowed.addAll(properties.getSerialization().getAllowedTypes());
		properties.getMaps().values().forEach((map) -> {
			if (map.getValueType() != null) {
				allowed.add(map.getValueType().getName());
			}
		});
		allowed.addAll(CACHE_TYPES);
		return allowed;
	}

}
