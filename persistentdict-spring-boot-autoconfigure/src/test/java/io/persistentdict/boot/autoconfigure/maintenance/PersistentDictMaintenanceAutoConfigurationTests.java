package io.persistentdict.boot.autoconfigure.maintenance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.persistentdict.DictStore;
import io.persistentdict.StatsRecorder;
import io.persistentdict.boot.autoconfigure.DictStoreOptionsCustomizer;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.maintenance.PersistentDictMaintenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PersistentDictMaintenanceAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersistentDictMaintenanceAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictMaintenanceAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
					TaskSchedulingAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("maintenance.db"));
	}

	@Test
	void runWhenSchedulingNotEnabledShouldEnableItSayItAndKeepBootsScheduler(CapturedOutput output) {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(PersistentDictMaintenance.class)
				.hasBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)
				.hasSingleBean(TaskScheduler.class)
				.hasBean("taskScheduler");
			assertThat(output).contains("persistentdict enabled Spring scheduling (@EnableScheduling)");
		});
	}

	@Test
	void runWhenApplicationEnablesSchedulingShouldNotSayIt(CapturedOutput output) {
		runner().withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PersistentDictMaintenance.class).hasBean("taskScheduler");
			assertThat(output).doesNotContain("persistentdict enabled Spring scheduling");
		});
	}

	@Test
	void runWhenDisabledShouldNotScheduleMaintenance() {
		runner().withPropertyValues("persistentdict.maintenance.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PersistentDictMaintenance.class)
				.doesNotHaveBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME));
	}

	@Test
	void runShouldSweepAndVacuumOnBootsScheduler() {
		Queue<String> threads = new ConcurrentLinkedQueue<>();
		StatsRecorder recorder = new StatsRecorder() {

			@Override
			public void recordSweep(String dict, long deleted, long nanos) {
				threads.add("sweep:" + Thread.currentThread().getName());
			}

			@Override
			public void recordVacuum(boolean full, long nanos) {
				threads.add("vacuum:" + Thread.currentThread().getName());
			}

		};
		runner().withBean(DictStoreOptionsCustomizer.class, () -> (name, options) -> options.statsRecorder(recorder))
			.withPropertyValues("persistentdict.maintenance.initial-delay=0s",
					"persistentdict.maintenance.sweep-interval=50ms",
					"persistentdict.maps.books.value-type=java.lang.String")
			.run((context) -> {
				context.getBean("books");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> threads.stream().anyMatch((t) -> t.startsWith("sweep:scheduling-"))
							&& threads.stream().anyMatch((t) -> t.startsWith("vacuum:scheduling-")));
				assertThat(context.getBean(DictStore.class).stats().lastMaintenance().lastSweep()).isNotNull();
			});
	}

	@Test
	void vacuumIfDueShouldVacuumOncePerInterval() {
		runner().withPropertyValues("persistentdict.maintenance.initial-delay=1h").run((context) -> {
			DictStore store = context.getBean(DictStore.class);
			PersistentDictMaintenance maintenance = context.getBean(PersistentDictMaintenance.class);
			maintenance.vacuumIfDue();
			assertThat(store.stats().lastMaintenance().lastVacuum()).isNotNull();
			assertThat(store.vacuumIfDue(Duration.ofHours(24))).isFalse();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

	}

}
