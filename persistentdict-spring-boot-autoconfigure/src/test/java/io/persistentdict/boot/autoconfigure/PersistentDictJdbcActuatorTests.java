package io.persistentdict.boot.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.boot.actuate.endpoint.PersistentDictEndpoint;
import io.persistentdict.boot.actuate.endpoint.PersistentDictEndpoint.StoreDescriptor;
import io.persistentdict.boot.autoconfigure.endpoint.PersistentDictEndpointAutoConfiguration;
import io.persistentdict.boot.autoconfigure.health.PersistentDictHealthContributorAutoConfiguration;
import io.persistentdict.boot.autoconfigure.maintenance.PersistentDictMaintenanceAutoConfiguration;
import io.persistentdict.boot.autoconfigure.metrics.PersistentDictMetricsAutoConfiguration;
import io.persistentdict.boot.maintenance.PersistentDictMaintenance;
import io.persistentdict.testing.postgres.DelegatingDataSource;
import io.persistentdict.testing.postgres.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, metrics, the endpoint and maintenance of a store on a real PostgreSQL, reached
 * through a {@link PersistentDictDataSource @PersistentDictDataSource} bean that a test
 * can cut off.
 */
class PersistentDictJdbcActuatorTests {

	private static String url;

	@BeforeAll
	static void database() {
		url = TestPostgres.server().newDatabase();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictHealthContributorAutoConfiguration.class,
					PersistentDictMetricsAutoConfiguration.class, PersistentDictEndpointAutoConfiguration.class,
					PersistentDictMaintenanceAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withUserConfiguration(SwitchableDataSourceConfiguration.class)
			.withPropertyValues("persistentdict.store.type=jdbc",
					"persistentdict.maps.books.value-type=java.lang.String", "persistentdict.maps.books.ttl=1h",
					"persistentdict.maintenance.initial-delay=1h",
					"management.endpoints.web.exposure.include=persistentdict");
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthShouldShowWhatAppliesToADatabaseAndBeDownWhenItCannotBeReached() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean("books", PersistentDict.class).put("1", "Dune");
			CompositeHealthContributor composite = context.getBean(CompositeHealthContributor.class);
			Health health = ((HealthIndicator) composite.getContributor("default")).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("engine", "PostgreSQL")
				.containsKeys("location", "fileSize", "dicts")
				.doesNotContainKeys("path", "walSize", "freeDiskSpace");
			assertThat(health.getDetails().get("location")).asString()
				.startsWith("PostgreSQL jdbc:postgresql:")
				.contains("schema 'persistentdict'");
			assertThat(health.getDetails().get("dicts")).isEqualTo(Map.of("map:books", 1L));
			SwitchableDataSource dataSource = context.getBean(SwitchableDataSource.class);
			dataSource.down = true;
			try {
				Health down = ((HealthIndicator) composite.getContributor("default")).health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails().get("error")).asString().contains("Connection refused");
			}
			finally {
				dataSource.down = false;
			}
			assertThat(((HealthIndicator) composite.getContributor("default")).health().getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void metricsShouldLeaveOutWhatADatabaseDoesNotHave() {
		runner().run((context) -> {
			context.getBean("books", PersistentDict.class).put("1", "Dune");
			context.getBean(DictStore.class).sweep();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("persistentdict.store.size").tag("store", "default").gauge()).isNotNull();
			assertThat(registry.find("persistentdict.store.size").gauge().value()).isPositive();
			assertThat(registry.find("persistentdict.store.wal.size").gauge()).isNull();
			assertThat(registry.find("persistentdict.store.free.disk").gauge()).isNull();
			assertThat(registry.find("persistentdict.entries").tag("dict", "map:books").gauge().value()).isOne();
			assertThat(registry.find("persistentdict.sweep").tag("dict", "map:books").timer().count()).isOne();
			// the store has no pool of its own to track: no HikariCP meters of it
			assertThat(registry.find("hikaricp.connections").meters()).isEmpty();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void metricsShouldTrackThePoolTheStarterBuildsForAJdbcUrl() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("persistentdict.store.type=jdbc", "persistentdict.store.jdbc.url=" + url,
					"persistentdict.store.jdbc.username=" + TestPostgres.server().user(),
					"persistentdict.store.jdbc.schema=own_pool_metrics", "persistentdict.store.pool.maximum-size=3",
					"persistentdict.maps.books.value-type=java.lang.String")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean("books", PersistentDict.class).put("1", "Dune");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("hikaricp.connections.max").tag("pool", "persistentdict-default").gauge())
					.isNotNull()
					.satisfies((gauge) -> assertThat(gauge.value()).isEqualTo(3.0));
				assertThat(registry.find("hikaricp.connections.acquire")
					.tag("pool", "persistentdict-default")
					.timer()
					.count()).isPositive();
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void endpointAndMaintenanceShouldWorkOnADatabase() {
		runner().run((context) -> {
			context.getBean("books", PersistentDict.class).put("1", "Dune");
			PersistentDictEndpoint endpoint = context.getBean(PersistentDictEndpoint.class);
			StoreDescriptor store = endpoint.store("default");
			assertThat(store.location()).startsWith("PostgreSQL ");
			assertThat(store.path()).isNull();
			assertThat(store.fileSize()).isPositive();
			assertThat(store.walSize()).isNull();
			assertThat(store.freeDiskSpace()).isNull();
			assertThat(store.dicts()).containsKey("map:books");
			assertThat(endpoint.maintain("default", "sweep").result()).isEqualTo("0 expired entries deleted");
			assertThat(endpoint.maintain("default", "integrity-check").result()).isEqualTo("ok");
			assertThat(store.engine()).isEqualTo("PostgreSQL");
			// what the database does by itself is not claimed as done
			assertThat(endpoint.maintain("default", "vacuum").result())
				.isEqualTo("nothing to do: PostgreSQL reclaims the space of deleted rows by itself (autovacuum)");
			assertThat(endpoint.maintain("default", "checkpoint").result()).startsWith("nothing to do: PostgreSQL");
			assertThat(endpoint.maintain("default", "optimize").result()).startsWith("nothing to do: PostgreSQL");
			assertThat(context.getBean(DictStore.class).stats().lastMaintenance().lastVacuum()).isNull();
			// vacuum and checkpoint mean nothing there: scheduled, they do nothing
			PersistentDictMaintenance maintenance = context.getBean(PersistentDictMaintenance.class);
			maintenance.sweep();
			maintenance.vacuumIfDue();
			assertThat(context.getBean(DictStore.class).stats().lastMaintenance().lastVacuum()).isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SwitchableDataSourceConfiguration {

		@Bean(defaultCandidate = false)
		@PersistentDictDataSource
		SwitchableDataSource persistentDictDataSource() {
			return new SwitchableDataSource(TestPostgres.server().dataSource(url));
		}

	}

	/** A data source that a test can make unreachable. */
	static final class SwitchableDataSource extends DelegatingDataSource {

		volatile boolean down;

		SwitchableDataSource(DataSource delegate) {
			super(delegate);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.down) {
				throw new SQLException("Connection refused (the test cut the database off)", "08001");
			}
			return delegate().getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

	}

}
