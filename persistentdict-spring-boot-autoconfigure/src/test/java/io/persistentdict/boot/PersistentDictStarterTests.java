package io.persistentdict.boot;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.boot.sample.Book;
import io.persistentdict.boot.sample.SampleConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the starter as a whole: the shape of its auto-configurations, their
 * registration, and a context with every integration present.
 */
class PersistentDictStarterTests {

	@TempDir
	Path dir;

	private static List<Class<?>> autoConfigurations() throws ClassNotFoundException {
		List<Class<?>> classes = new ArrayList<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class,
				PersistentDictStarterTests.class.getClassLoader())) {
			if (name.startsWith("io.persistentdict.")) {
				classes.add(Class.forName(name));
			}
		}
		return classes;
	}

	@Test
	void autoConfigurationsShouldBePublicFinalWithNoPublicMembers() throws ClassNotFoundException {
		List<Class<?>> classes = autoConfigurations();
		assertThat(classes).hasSize(6);
		for (Class<?> type : classes) {
			assertThat(Modifier.isPublic(type.getModifiers()) && Modifier.isFinal(type.getModifiers()))
				.as("%s is public final", type)
				.isTrue();
			assertThat(type.getAnnotation(AutoConfiguration.class)).as("%s is an @AutoConfiguration", type).isNotNull();
			for (Method method : type.getDeclaredMethods()) {
				assertThat(Modifier.isPublic(method.getModifiers())).as("%s is not public", method).isFalse();
			}
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				assertThat(Modifier.isPublic(constructor.getModifiers())).as("%s is not public", constructor).isFalse();
			}
			for (Field field : type.getDeclaredFields()) {
				assertThat(Modifier.isPublic(field.getModifiers())).as("%s is not public", field).isFalse();
			}
		}
	}

	@Test
	void failureAnalyzerShouldBeRegistered() throws Exception {
		Properties factories = PropertiesLoaderUtils.loadProperties(new ClassPathResource("META-INF/spring.factories"));
		String name = factories.getProperty(FailureAnalyzer.class.getName());
		assertThat(name).isEqualTo("io.persistentdict.boot.autoconfigure.PersistentDictFailureAnalyzer");
		assertThat(FailureAnalyzer.class.isAssignableFrom(Class.forName(name))).isTrue();
	}

	@Test
	void runWhenEveryIntegrationIsPresentShouldStartAndWork() throws ClassNotFoundException {
		List<Class<?>> configurations = new ArrayList<>(autoConfigurations());
		configurations.addAll(List.of(CacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(configurations.toArray(Class<?>[]::new)))
			.withUserConfiguration(SampleConfiguration.class, CachingConfiguration.class)
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("all.db"),
					"persistentdict.maps.books.value-type=" + Book.class.getName())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(CacheManager.class).getCache("books").put("1", new Book("1", "Dune"));
				assertThat(context.getBean(HealthContributorRegistry.class).getContributor("persistentdict"))
					.isNotNull();
				assertThat(context.getBean("books")).isInstanceOf(PersistentDict.class);
			});
	}

	@Test
	void runWhenContextClosesShouldKeepMapsUsableDuringLifecycleStopThenCloseStores() {
		Path file = this.dir.resolve("shutdown.db");
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration.class))
			.withUserConfiguration(ShutdownConfiguration.class)
			.withPropertyValues("persistentdict.store.path=" + file,
					"persistentdict.maps.books.value-type=java.lang.String")
			.run((context) -> context.getBean(ShutdownWriter.class));
		Path wal = Path.of(file + "-wal");
		assertThat(!Files.exists(wal) || wal.toFile().length() == 0).as("WAL checkpointed on close").isTrue();
		try (DictStore store = DictStore.open(file)) {
			assertThat(store.dict("books", String.class, String.class).get("stopped")).isEqualTo("during shutdown");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class ShutdownConfiguration {

		@Bean
		ShutdownWriter shutdownWriter(@Qualifier("books") PersistentDict<String, String> books) {
			return new ShutdownWriter(books);
		}

	}

	/**
	 * Stops in the phase of graceful web shutdown, and writes to a map as it does.
	 */
	static class ShutdownWriter implements SmartLifecycle {

		private final PersistentDict<String, String> books;

		private volatile boolean running;

		ShutdownWriter(PersistentDict<String, String> books) {
			this.books = books;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.books.put("stopped", "during shutdown");
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE - 1024;
		}

	}

}
