package io.persistentdict.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.DictStore;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.health.PersistentDictHealthIndicator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@code persistentdict} health contributor: one entry per
 * store.
 *
 * @author persistentdict
 */
@AutoConfiguration(after = PersistentDictAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ DictStore.class, HealthContributor.class })
public final class PersistentDictHealthContributorAutoConfiguration {

	/**
	 * Registered as {@code persistentdict}: the {@code HealthContributor} suffix is
	 * stripped.
	 */
	static final String BEAN_NAME = "persistentdictHealthContributor";

	PersistentDictHealthContributorAutoConfiguration() {
	}

	/** The key {@code management.health.persistentdict.free-disk-threshold} replaces. */
	static final String DEPRECATED_THRESHOLD = "persistentdict.health.free-disk-threshold";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DictStore.class)
	@ConditionalOnEnabledHealthIndicator("persistentdict")
	@EnableConfigurationProperties(PersistentDictHealthProperties.class)
	static class HealthContributorConfiguration {

		@Bean(BEAN_NAME)
		@ConditionalOnMissingBean(name = BEAN_NAME)
		CompositeHealthContributor persistentdictHealthContributor(ListableBeanFactory beanFactory,
				PersistentDictHealthProperties properties, Environment environment) {
			DataSize threshold = freeDiskThreshold(properties, Binder.get(environment));
			Map<String, PersistentDictHealthIndicator> indicators = new LinkedHashMap<>();
			DictStoreBeans.byStoreName(beanFactory)
				.forEach((name, store) -> indicators.put(name, new PersistentDictHealthIndicator(store, threshold)));
			return CompositeHealthContributor.fromMap(indicators);
		}

		/** The new key wins; the deprecated one still works alone. */
		private static DataSize freeDiskThreshold(PersistentDictHealthProperties properties, Binder binder) {
			if (binder.bind("management.health.persistentdict.free-disk-threshold", DataSize.class).isBound()) {
				return properties.getFreeDiskThreshold();
			}
			return binder.bind(DEPRECATED_THRESHOLD, DataSize.class).orElse(properties.getFreeDiskThreshold());
		}

	}

}
