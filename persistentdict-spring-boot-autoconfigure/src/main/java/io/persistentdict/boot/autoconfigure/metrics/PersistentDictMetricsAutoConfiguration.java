package io.persistentdict.boot.autoconfigure.metrics;

import java.util.Map;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.persistentdict.DictStore;
import io.persistentdict.StoreOptions;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.DictStoreOptionsCustomizer;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.PersistentDictProperties;
import io.persistentdict.boot.autoconfigure.StoreProperties;
import io.persistentdict.boot.autoconfigure.StoreProperties.StoreType;
import io.persistentdict.boot.autoconfigure.cache.PersistentDictCacheAutoConfiguration;
import io.persistentdict.boot.cache.PersistentDictCache;
import io.persistentdict.boot.cache.PersistentDictCacheManager;
import io.persistentdict.boot.metrics.PersistentDictCacheMeterBinderProvider;
import io.persistentdict.boot.metrics.PersistentDictMetrics;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for persistentdict metrics: store, dict and pool meters, and the
 * standard cache meters of every {@link PersistentDictCacheManager} cache, including
 * caches created after startup. The {@link PersistentDictMetrics} bean and the cache
 * meter binder provider back off when the application defines its own.
 *
 * @author persistentdict
 */
@AutoConfiguration(after = { PersistentDictAutoConfiguration.class, PersistentDictCacheAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass({ DictStore.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
public final class PersistentDictMetricsAutoConfiguration {

	PersistentDictMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	PersistentDictMetrics persistentDictMetrics(ListableBeanFactory beanFactory) {
		return new PersistentDictMetrics(() -> DictStoreBeans.byStoreName(beanFactory));
	}

	/**
	 * Feeds the store meters. A {@code StatsRecorder} or pool metrics factory that a
	 * customizer applied before this one (the application's customizers without an order
	 * run first) are kept: the recorder is called alongside the meters, and a pool
	 * metrics factory of the application's own replaces HikariCP's Micrometer tracker.
	 * The pools tracked are the ones the store owns: a SQLite store's read pool, and the
	 * pool built for {@code jdbc.url}. A store on an application's DataSource has no pool
	 * of its own: that pool has Boot's meters.
	 * @param metrics the metrics
	 * @param registry the meter registry
	 * @param properties the stores' settings
	 * @return the customizer
	 */
	@Bean
	DictStoreOptionsCustomizer persistentDictMetricsOptionsCustomizer(PersistentDictMetrics metrics,
			ObjectProvider<MeterRegistry> registry, PersistentDictProperties properties) {
		return (storeName, options) -> {
			MeterRegistry meterRegistry = registry.getObject();
			StoreOptions current = options.build();
			options.statsRecorder(
					CompositeStatsRecorder.of(current.statsRecorder(), metrics.recorder(storeName, meterRegistry)));
			if (current.metricsTrackerFactory() == null && ownsPool(properties, storeName)) {
				options.poolMetrics(new MicrometerMetricsTrackerFactory(meterRegistry));
			}
		};
	}

	private static boolean ownsPool(PersistentDictProperties properties, String storeName) {
		StoreProperties store = PersistentDictProperties.DEFAULT_STORE.equals(storeName) ? properties.getStore()
				: properties.getStores().get(storeName);
		return store == null || store.getType() == StoreType.SQLITE || store.getJdbc().getUrl() != null;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CacheMeterBinderProvider.class)
	static class CacheMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(value = PersistentDictCache.class,
				parameterizedContainer = CacheMeterBinderProvider.class)
		PersistentDictCacheMeterBinderProvider persistentDictCacheMeterBinderProvider() {
			return new PersistentDictCacheMeterBinderProvider();
		}

		/**
		 * Binds caches created after startup. A bean of any type named
		 * {@code persistentDictLateCacheMetricsBinder} replaces it (the binder's type is
		 * internal, so the back-off is by name).
		 * @param registrar Boot's cache metrics registrar
		 * @param registry the meter registry
		 * @param cacheManagers the persistentdict cache managers by bean name
		 * @return the binder
		 */
		@Bean
		@ConditionalOnBean(PersistentDictCacheManager.class)
		@ConditionalOnMissingBean(name = "persistentDictLateCacheMetricsBinder")
		LateCacheMetricsBinder persistentDictLateCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar,
				ObjectProvider<MeterRegistry> registry, Map<String, PersistentDictCacheManager> cacheManagers) {
			return new LateCacheMetricsBinder(registrar, registry, cacheManagers);
		}

	}

}
