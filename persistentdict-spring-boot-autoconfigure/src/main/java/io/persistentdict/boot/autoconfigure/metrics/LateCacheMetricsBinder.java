package io.persistentdict.boot.autoconfigure.metrics;

import java.util.Map;

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

	private final Map<String, PersistentDictCacheManager> cacheManagers;

	LateCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar,
			Map<String, PersistentDictCacheManager> cacheManagers) {
		this.registrar = registrar;
		this.cacheManagers = cacheManagers;
	}

	@Override
	public void afterSingletonsInstantiated() {
		CacheMetricsRegistrar registrar = this.registrar.getIfAvailable();
		if (registrar == null) {
			return;
		}
		this.cacheManagers.forEach((beanName, cacheManager) -> {
			Tag tag = Tag.of("cache.manager", cacheManagerName(beanName));
			cacheManager.addCacheCreationListener((cache) -> registrar.bindCacheToRegistry(cache, tag));
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
