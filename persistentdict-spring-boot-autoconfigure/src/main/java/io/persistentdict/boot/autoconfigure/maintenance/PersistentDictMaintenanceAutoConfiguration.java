package io.persistentdict.boot.autoconfigure.maintenance;

import io.persistentdict.DictStore;
import io.persistentdict.boot.autoconfigure.DictStoreBeans;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.PersistentDictProperties;
import io.persistentdict.boot.maintenance.PersistentDictMaintenance;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for scheduled store maintenance. Enables scheduling when the
 * application has not; it comes before {@link TaskSchedulingAutoConfiguration} so that
 * Boot's task scheduler is still created.
 *
 * @author persistentdict
 */
@AutoConfiguration(after = PersistentDictAutoConfiguration.class, before = TaskSchedulingAutoConfiguration.class)
@ConditionalOnClass(DictStore.class)
@ConditionalOnBean(DictStore.class)
@ConditionalOnBooleanProperty(name = "persistentdict.maintenance.enabled", matchIfMissing = true)
public final class PersistentDictMaintenanceAutoConfiguration {

	PersistentDictMaintenanceAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	PersistentDictMaintenance persistentDictMaintenance(ListableBeanFactory beanFactory,
			PersistentDictProperties properties) {
		return new PersistentDictMaintenance(() -> DictStoreBeans.byStoreName(beanFactory),
				properties.getMaintenance().getVacuumInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)
	@EnableScheduling
	static class EnableSchedulingConfiguration {

		static final String MESSAGE = "persistentdict enabled Spring scheduling (@EnableScheduling) to sweep and "
				+ "vacuum its stores, because the application had not; this also runs the application's own "
				+ "@Scheduled methods. Set persistentdict.maintenance.enabled=false to turn store maintenance off";

		private static final Log logger = LogFactory.getLog(PersistentDictMaintenanceAutoConfiguration.class);

		EnableSchedulingConfiguration() {
			logger.info(MESSAGE);
		}

	}

}
