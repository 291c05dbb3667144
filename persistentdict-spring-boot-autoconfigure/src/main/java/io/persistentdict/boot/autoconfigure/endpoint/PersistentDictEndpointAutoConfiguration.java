package io.persistentdict.boot.autoconfigure.endpoint;

import io.persistentdict.DictStore;
import io.persistentdict.boot.actuate.endpoint.PersistentDictEndpoint;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@link PersistentDictEndpoint}.
 *
 * @author persistentdict
 */
@AutoConfiguration(after = PersistentDictAutoConfiguration.class)
@ConditionalOnClass({ DictStore.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class PersistentDictEndpointAutoConfiguration {

	PersistentDictEndpointAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(PersistentDictEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PersistentDictEndpoint persistentDictEndpoint(ListableBeanFactory beanFactory) {
			return new PersistentDictEndpoint(() -> DictStoreBeans.byStoreName(beanFactory));
		}

	}

}
