package io.persistentdict.boot.autoconfigure.endpoint;

import java.nio.file.Path;

import io.persistentdict.PersistentDict;
import io.persistentdict.boot.MutableClock;
import io.persistentdict.boot.actuate.endpoint.PersistentDictEndpoint;
import io.persistentdict.boot.actuate.endpoint.PersistentDictEndpoint.MaintenanceDescriptor;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PersistentDictEndpointAutoConfiguration}.
 */
class PersistentDictEndpointAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictEndpointAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("endpoint.db"));
	}

	@Test
	void runWhenNotExposedShouldNotCreateEndpoint() {
		runner().run((context) -> assertThat(context).doesNotHaveBean(PersistentDictEndpoint.class));
	}

	@Test
	void endpointShouldBeReadOnlyByDefault() {
		Endpoint endpoint = PersistentDictEndpoint.class.getAnnotation(Endpoint.class);
		assertThat(endpoint.id()).isEqualTo("persistentdict");
		assertThat(endpoint.defaultAccess()).isEqualTo(Access.READ_ONLY);
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenExposedShouldListStoresAndRunMaintenance() {
		runner()
			.withPropertyValues("management.endpoints.web.exposure.include=persistentdict",
					"persistentdict.maps.books.value-type=java.lang.String", "persistentdict.maps.books.ttl=1m")
			.withBean(MutableClock.class, MutableClock::new)
			.run((context) -> {
				PersistentDictEndpoint endpoint = context.getBean(PersistentDictEndpoint.class);
				PersistentDict<String, String> books = context.getBean("books", PersistentDict.class);
				books.put("1", "Dune");
				context.getBean(MutableClock.class).advance(java.time.Duration.ofMinutes(2));
				assertThat(endpoint.stores().stores()).containsOnlyKeys("default");
				assertThat(endpoint.store("default").dicts()).containsKey("map:books");
				assertThat(endpoint.store("missing")).isNull();
				MaintenanceDescriptor sweep = endpoint.maintain("default", "sweep");
				assertThat(sweep.result()).isEqualTo("1 expired entries deleted");
				assertThat(endpoint.maintain("default", "vacuum").result()).isEqualTo("vacuumed");
				assertThat(endpoint.maintain("default", "checkpoint").result()).isEqualTo("checkpointed");
				assertThat(endpoint.maintain("default", "optimize").result()).isEqualTo("optimized");
				assertThat(endpoint.store("default").engine()).isEqualTo("SQLite");
				assertThat(endpoint.maintain("default", "integrity-check").result()).isEqualTo("ok");
				assertThatIllegalArgumentException().isThrownBy(() -> endpoint.maintain("default", "drop"))
					.withMessageContaining("Unknown action");
			});
	}

	@Test
	void runWithoutActuatorShouldStartCleanly() {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=persistentdict")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("dictStore"));
	}

}
