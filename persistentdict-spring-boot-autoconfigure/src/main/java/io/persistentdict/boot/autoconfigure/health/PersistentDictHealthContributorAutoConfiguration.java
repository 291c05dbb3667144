package io.persistentdict.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.persistentdict.DictStore;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.PersistentDictProperties;
import io.persistentdict.boot.health.PersistentDictHealthIndicator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DictStore.class)
	@ConditionalOnEnabledHealthIndicator("persistentdict")
	static class HealthContributorConfiguration {

		@Bean(BEAN_NAME)
		@ConditionalOnMissingBean(name = BEAN_NAME)
		CompositeHealthContributor persistentdictHealthContributor(ListableBeanFactory beanFactory,
				PersistentDictProperties properties) {
			Map<String, PersistentDictHealthIndicator> indicators = new LinkedHashMap<>();
			DictStoreBeans.byStoreName(beanFactory)
				.forEach((name, store) -> indicators.put(name,
						new PersistentDictHealthIndicator(store, properties.getHealth().getFreeDiskThreshold())));
			return CompositeHealthContributor.fromMap(indicators);
		}

	}

}
