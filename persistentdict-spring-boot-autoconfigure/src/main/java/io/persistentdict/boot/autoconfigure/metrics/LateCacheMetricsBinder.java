package io.persistentdict.boot.autoconfigure.metrics;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.persistentdict.boot.cache.PersistentDictCacheManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.util.StringUtils;

/**
 * Binds the meters of caches that a {@link PersistentDictCacheManager} creates after
 * startup, which Boot's cache metrics do not see (spring-boot#14576).
 *
 * @author persistentdict
 */
class LateCacheMetricsBinder implements SmartInitializingSingleton {

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private final ObjectProvider<CacheMetricsRegistrar> registrar;

	private final ObjectProvider<MeterRegistry> registry;

	private final Map<String, PersistentDictCacheManager> cacheManagers;

	LateCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar, ObjectProvider<MeterRegistry> registry,
			Map<String, PersistentDictCacheManager> cacheManagers) {
		this.registrar = registrar;
		this.registry = registry;
		this.cacheManagers = cacheManagers;
	}

	@Override
	public void afterSingletonsInstantiated() {
		CacheMetricsRegistrar registrar = this.registrar.getIfAvailable();
		if (registrar == null) {
			return;
		}
		MeterRegistry meters = this.registry.getIfAvailable();
		this.cacheManagers.forEach((beanName, cacheManager) -> {
			String managerName = cacheManagerName(beanName);
			Tag tag = Tag.of("cache.manager", managerName);
			cacheManager.addCacheCreationListener((cache) -> {
				// the listener is first called with the caches that already exist, and
				// Boot
				// has bound those that existed when its own cache metrics started
				if (meters == null || meters.find("cache.gets")
					.tags("cache", cache.getName(), "cache.manager", managerName)
					.meter() == null) {
					registrar.bindCacheToRegistry(cache, tag);
				}
			});
		});
	}

	/**
	 * Name a cache manager as Boot's cache metrics do.
	 */
	private static String cacheManagerName(String beanName) {
		if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
				&& StringUtils.endsWithIgnoreCase(beanName, CACHE_MANAGER_SUFFIX)) {
			return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
		}
		return beanName;
	}

}
