package io.persistentdict.boot.autoconfigure.metrics;

import java.util.Map;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.persistentdict.DictStore;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.DictStoreOptionsCustomizer;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.cache.PersistentDictCacheAutoConfiguration;
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
 * caches created after startup.
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

	@Bean
	DictStoreOptionsCustomizer persistentDictMetricsOptionsCustomizer(PersistentDictMetrics metrics,
			ObjectProvider<MeterRegistry> registry) {
		return (storeName, options) -> {
			MeterRegistry meterRegistry = registry.getObject();
			options.statsRecorder(metrics.recorder(storeName, meterRegistry))
				.poolMetrics(new MicrometerMetricsTrackerFactory(meterRegistry));
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CacheMeterBinderProvider.class)
	static class CacheMetricsConfiguration {

		@Bean
		PersistentDictCacheMeterBinderProvider persistentDictCacheMeterBinderProvider() {
			return new PersistentDictCacheMeterBinderProvider();
		}

		@Bean
		@ConditionalOnBean(PersistentDictCacheManager.class)
		LateCacheMetricsBinder persistentDictLateCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar,
				ObjectProvider<MeterRegistry> registry, Map<String, PersistentDictCacheManager> cacheManagers) {
			return new LateCacheMetricsBinder(registrar, registry, cacheManagers);
		}

	}

}
