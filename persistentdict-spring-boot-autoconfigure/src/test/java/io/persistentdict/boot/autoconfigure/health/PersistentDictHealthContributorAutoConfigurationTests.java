package io.persistentdict.boot.autoconfigure.health;

import java.nio.file.Path;
import java.util.Map;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PersistentDictHealthContributorAutoConfiguration}.
 */
class PersistentDictHealthContributorAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictHealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("health.db"),
					"persistentdict.stores.archive.path=" + this.dir.resolve("archive.db"));
	}

	@Test
	void runShouldRegisterContributorNamedPersistentdictWithOneEntryPerStore() {
		runner().run((context) -> {
			HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
			assertThat(registry.getContributor("persistentdict")).isInstanceOf(CompositeHealthContributor.class);
			CompositeHealthContributor composite = (CompositeHealthContributor) registry
				.getContributor("persistentdict");
			assertThat(composite.stream().map((entry) -> entry.name())).containsExactlyInAnyOrder("default", "archive");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenStoreIsHealthyShouldBeUpWithDetails() {
		runner().withPropertyValues("persistentdict.maps.books.value-type=java.lang.String").run((context) -> {
			PersistentDict<String, String> books = context.getBean("books", PersistentDict.class);
			books.put("1", "Dune");
			context.getBean(DictStore.class).sweep();
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKeys("path", "fileSize", "walSize", "freeDiskSpace", "dicts",
					"lastSweep");
			assertThat(health.getDetails().get("path")).asString().contains("health.db");
			assertThat(health.getDetails().get("dicts")).isEqualTo(Map.of("map:books", 1L));
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runBeforeAnySweepShouldCountEntriesOnce() {
		// what the documentation says: the probe relies on the store's stats, which count
		// a dict not yet counted since the store opened
		runner().withPropertyValues("persistentdict.maps.books.value-type=java.lang.String").run((context) -> {
			PersistentDict<String, String> books = context.getBean("books", PersistentDict.class);
			books.put("1", "Dune");
			books.put("2", "Emma");
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("dicts")).isEqualTo(Map.of("map:books", 2L));
			assertThat(health.getDetails()).doesNotContainKey("lastSweep");
		});
	}

	@Test
	void runWhenDiskBelowThresholdShouldBeDown() {
		runner().withPropertyValues("management.health.persistentdict.free-disk-threshold=100000TB").run((context) -> {
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason")).asString().contains("free disk space");
		});
	}

	@Test
	void runWhenDeprecatedThresholdKeySetShouldStillApplyIt() {
		runner().withPropertyValues("persistentdict.health.free-disk-threshold=100000TB").run((context) -> {
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void runWhenBothThresholdKeysSetShouldPreferTheNewOne() {
		runner()
			.withPropertyValues("persistentdict.health.free-disk-threshold=100000TB",
					"management.health.persistentdict.free-disk-threshold=1KB")
			.run((context) -> {
				Health health = health(context.getBean(CompositeHealthContributor.class), "default");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void runWhenStoreClosedShouldBeDown() {
		runner().run((context) -> {
			context.getBean(DictStore.class).close();
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void runWhenIntegrityCheckedShouldReportIt() {
		runner().run((context) -> {
			context.getBean(DictStore.class).checkIntegrity();
			Health health = health(context.getBean(CompositeHealthContributor.class), "default");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("integrity", "ok").containsKey("lastIntegrityCheck");
		});
	}

	@Test
	void runWhenDisabledShouldNotRegister() {
		runner().withPropertyValues("management.health.persistentdict.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("persistentdictHealthContributor"));
	}

	@Test
	void runWithoutActuatorShouldStartCleanly() {
		runner()
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("persistentdictHealthContributor")
				.hasBean("dictStore"));
	}

	private static Health health(CompositeHealthContributor composite, String store) {
		Health health = ((HealthIndicator) composite.getContributor(store)).health();
		assertThat(health).isNotNull();
		return health;
	}

}
