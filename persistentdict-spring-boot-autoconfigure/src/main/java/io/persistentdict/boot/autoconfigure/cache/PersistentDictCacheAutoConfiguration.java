package io.persistentdict.boot.autoconfigure.cache;

import java.util.concurrent.Executor;

import io.persistentdict.DictStore;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.DictStoreFactory;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.CacheProperties;
import io.persistentdict.boot.autoconfigure.PersistentDictProperties;
import io.persistentdict.boot.cache.PersistentDictCacheManager;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for a {@link PersistentDictCacheManager}. It applies when caching
 * is enabled, the application has no {@link CacheManager} of its own and
 * {@code spring.cache.type} is not set.
 *
 * @author persistentdict
 */
@AutoConfiguration(after = PersistentDictAutoConfiguration.class,
		beforeName = { "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
				"org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration" })
@ConditionalOnClass({ DictStore.class, CacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "persistentdict.cache.enabled", matchIfMissing = true)
@Conditional(CacheTypeNotSetCondition.class)
public final class PersistentDictCacheAutoConfiguration {

	static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

	PersistentDictCacheAutoConfiguration() {
	}

	static PersistentDictCacheManager createCacheManager(PersistentDictProperties properties, DictStoreFactory factory,
			BeanFactory beanFactory, ObjectProvider<Executor> executor) {
		CacheProperties cache = properties.getCache();
		String store = cache.getStore();
		DictStore dictStore = PersistentDictProperties.DEFAULT_STORE.equals(store)
				? beanFactory.getBean(DictStore.class)
				: beanFactory.getBean(DictStoreBeans.beanName(store), DictStore.class);
		PersistentDictCacheManager manager = new CacheManagerFactory(cache, factory).create(dictStore);
		executor.ifAvailable(manager::setExecutor);
		return manager;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CacheManagerCustomizer.class)
	static class CustomizableCacheManagerConfiguration {

		@Bean
		PersistentDictCacheManager cacheManager(PersistentDictProperties properties, DictStoreFactory factory,
				BeanFactory beanFactory, @Qualifier(APPLICATION_TASK_EXECUTOR) ObjectProvider<Executor> executor,
				ObjectProvider<CacheManagerCustomizer<?>> customizers) {
			PersistentDictCacheManager manager = createCacheManager(properties, factory, beanFactory, executor);
			return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(manager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer")
	static class PlainCacheManagerConfiguration {

		@Bean
		PersistentDictCacheManager cacheManager(PersistentDictProperties properties, DictStoreFactory factory,
				BeanFactory beanFactory, @Qualifier(APPLICATION_TASK_EXECUTOR) ObjectProvider<Executor> executor) {
			return createCacheManager(properties, factory, beanFactory, executor);
		}

	}

}
