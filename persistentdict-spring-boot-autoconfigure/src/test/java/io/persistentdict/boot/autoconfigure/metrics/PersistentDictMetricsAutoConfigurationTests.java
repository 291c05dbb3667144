package io.persistentdict.boot.autoconfigure.metrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.micrometer.core.instrument.Gauge;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.StatsRecorder;
import io.persistentdict.boot.autoconfigure.DictStoreOptionsCustomizer;
import io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration;
import io.persistentdict.boot.autoconfigure.cache.PersistentDictCacheAutoConfiguration;
import io.persistentdict.boot.cache.PersistentDictCache;
import io.persistentdict.boot.metrics.PersistentDictCacheMeterBinderProvider;
import io.persistentdict.boot.metrics.PersistentDictMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PersistentDictMetricsAutoConfiguration}.
 */
class PersistentDictMetricsAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictCacheAutoConfiguration.class, PersistentDictMetricsAutoConfiguration.class,
					CacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("metrics.db"));
	}

	@Test
	void runWhenCacheCreatedAfterStartupShouldBindStandardCacheMeters() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(PersistentDictCacheMeterBinderProvider.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Cache cache = context.getBean(CacheManager.class).getCache("late");
			cache.get("1");
			cache.put("1", "one");
			cache.get("1");
			cache.evict("1");
			assertThat(registry.get("cache.gets")
				.tags("cache", "late", "result", "hit", "cache.manager", "cacheManager")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("cache.gets").tags("cache", "late", "result", "miss").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("cache.puts").tags("cache", "late").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.evictions").tags("cache", "late").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.size").tags("cache", "late").gauge().value()).isZero();
		});
	}

	@Test
	void runWhenCacheCreatedOnStartupShouldBindStandardCacheMeters() {
		runner().withPropertyValues("persistentdict.cache.cache-names=books").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(CacheManager.class).getCache("books").get("1");
			assertThat(registry.get("cache.gets").tags("cache", "books", "result", "miss").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWhenStoresOpenShouldBindStoreDictAndPoolMeters() {
		runner().withPropertyValues("persistentdict.maps.books.value-type=java.lang.String").run((context) -> {
			assertThat(context).hasSingleBean(PersistentDictMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			PersistentDict<String, String> books = context.getBean("books", PersistentDict.class);
			books.put("1", "Dune");
			DictStore store = context.getBean(DictStore.class);
			store.sweep();
			store.vacuumIfDue(java.time.Duration.ofHours(1));
			assertThat(registry.get("persistentdict.store.size").tag("store", "default").gauge().value()).isPositive();
			assertThat(registry.get("persistentdict.store.wal.size").tag("store", "default").gauge()).isNotNull();
			assertThat(registry.get("persistentdict.entries")
				.tags("store", "default", "dict", "map:books")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(
					registry.get("persistentdict.sweep").tags("store", "default", "dict", "map:books").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("persistentdict.sweep.expired").tags("dict", "map:books").counter().count())
				.isZero();
			assertThat(registry.get("persistentdict.vacuum").tag("type", "incremental").timer().count()).isEqualTo(1);
			assertThat(registry.get("persistentdict.commit").tag("store", "default").timer().count()).isPositive();
			assertThat(registry.get("hikaricp.connections.max").tag("pool", "persistentdict-default").gauge().value())
				.isEqualTo(4);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWithNearCachedMapShouldCountNearHits() {
		runner()
			.withPropertyValues("persistentdict.maps.books.value-type=java.lang.String",
					"persistentdict.maps.books.near-cache=100")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				PersistentDict<String, String> books = context.getBean("books", PersistentDict.class);
				books.put("1", "Dune");
				// the first read caches the row; the next four are near hits
				for (int i = 0; i < 5; i++) {
					assertThat(books.get("1")).isEqualTo("Dune");
				}
				assertThat(registry.get("persistentdict.near.hits")
					.tags("store", "default", "dict", "map:books")
					.functionCounter()
					.count()).isEqualTo(4);
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWithBoundedMapAndCacheShouldCountEvictions() {
		runner().withPropertyValues("persistentdict.maps.recent.key-type=java.lang.Long",
				"persistentdict.maps.recent.value-type=java.lang.String", "persistentdict.maps.recent.maximum-size=10",
				"persistentdict.cache.maximum-size=5", "persistentdict.cache.cache-names=books")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				PersistentDict<Long, String> recent = context.getBean("recent", PersistentDict.class);
				for (long i = 0; i < 25; i++) {
					recent.put(i, "event " + i);
				}
				// below 100 entries a bound has no slack: the 15 oldest are gone
				assertThat(recent).hasSize(10).containsKeys(15L, 24L).doesNotContainKey(14L);
				assertThat(registry.get("persistentdict.evictions")
					.tags("store", "default", "dict", "map:recent")
					.functionCounter()
					.count()).isEqualTo(15);
				assertThat(registry.get("persistentdict.entries")
					.tags("store", "default", "dict", "map:recent")
					.gauge()
					.value()).isEqualTo(10);
				Cache books = context.getBean(CacheManager.class).getCache("books");
				for (int i = 0; i < 8; i++) {
					books.put("isbn-" + i, "book " + i);
				}
				books.evict("isbn-7");
				// three evicted for the bound, one by the caller
				assertThat(registry.get("cache.evictions").tags("cache", "books").functionCounter().count())
					.isEqualTo(4);
				assertThat(registry.get("cache.size").tags("cache", "books").gauge().value()).isEqualTo(4);
			});
	}

	@Test
	void runWithoutMicrometerShouldStartCleanly() {
		runner().withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(PersistentDictMetrics.class)
				.hasSingleBean(DictStore.class)
				.hasSingleBean(CacheManager.class);
			context.getBean(CacheManager.class).getCache("books").put("1", "Dune");
		});
	}

	@Test
	void runWithoutSpringBootCacheShouldStillBindStoreMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PersistentDictAutoConfiguration.class,
					PersistentDictCacheAutoConfiguration.class, PersistentDictMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("persistentdict.store.path=" + this.dir.resolve("metrics.db"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PersistentDictCacheMeterBinderProvider.class);
				assertThat(context.getBean(MeterRegistry.class).get("persistentdict.store.size").gauge()).isNotNull();
			});
	}

	@Test
	void runWithUserCacheMeterBinderProviderShouldBackOff() {
		runner().withUserConfiguration(UserCacheMeterBinderProviderConfiguration.class)
			.withPropertyValues("persistentdict.cache.cache-names=books")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PersistentDictCacheMeterBinderProvider.class);
				// Boot's own provider for Caffeine caches is there too: Caffeine, which
				// the
				// core's near cache uses, is on the class path
				assertThat(context.getBeansOfType(CacheMeterBinderProvider.class)).containsKey("userProvider")
					.doesNotContainKey("persistentDictCacheMeterBinderProvider");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(CacheManager.class).getCache("late").get("1");
				assertThat(registry.get("user.cache").tag("cache", "books").gauge()).isNotNull();
				assertThat(registry.get("user.cache").tag("cache", "late").gauge()).isNotNull();
				assertThat(registry.find("cache.gets").meters()).isEmpty();
			});
	}

	@Test
	void runWithUserBeanNamedLikeTheLateBinderShouldBackOff() {
		runner().withUserConfiguration(UserLateBinderConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("persistentDictLateCacheMetricsBinder")).isInstanceOf(String.class);
			Cache cache = context.getBean(CacheManager.class).getCache("late");
			cache.get("1");
			assertThat(context.getBean(MeterRegistry.class).find("cache.gets").tag("cache", "late").meters()).isEmpty();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void runWithUserStatsRecorderShouldCallItAlongsideTheMeters() {
		runner().withUserConfiguration(UserRecorderConfiguration.class)
			.withPropertyValues("persistentdict.maps.books.value-type=java.lang.String")
			.run((context) -> {
				CountingRecorder recorder = context.getBean(CountingRecorder.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean("books", PersistentDict.class).put("1", "Dune");
				context.getBean(DictStore.class).sweep();
				assertThat(recorder.commits).hasPositiveValue();
				assertThat(registry.get("persistentdict.commit").tag("store", "default").timer().count())
					.isEqualTo(recorder.commits.get());
				assertThat(recorder.sweptDicts).contains("map:books");
				assertThat(registry.get("persistentdict.sweep")
					.tags("store", "default", "dict", "map:books")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void runWithUserPoolMetricsShouldKeepThem() {
		runner().withUserConfiguration(UserPoolMetricsConfiguration.class).run((context) -> {
			assertThat(context.getBean(UserPoolMetrics.class).pools).contains("persistentdict-default");
			assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections.max").meters()).isEmpty();
			assertThat(context.getBean(MeterRegistry.class).get("persistentdict.store.size").gauge()).isNotNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheMeterBinderProviderConfiguration {

		@Bean
		CacheMeterBinderProvider<PersistentDictCache> userProvider() {
			return (cache,
					tags) -> (registry) -> Gauge.builder("user.cache", cache, (c) -> 1.0)
						.tags(tags)
						.tag("cache", cache.getName())
						.register(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLateBinderConfiguration {

		@Bean
		String persistentDictLateCacheMetricsBinder() {
			return "the application binds late caches itself";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRecorderConfiguration {

		@Bean
		CountingRecorder countingRecorder() {
			return new CountingRecorder();
		}

		@Bean
		DictStoreOptionsCustomizer userRecorderCustomizer(CountingRecorder recorder) {
			return (storeName, options) -> options.statsRecorder(recorder);
		}

	}

	static class CountingRecorder implements StatsRecorder {

		final AtomicLong commits = new AtomicLong();

		final List<String> sweptDicts = new CopyOnWriteArrayList<>();

		@Override
		public void recordCommit(int operations, long nanos) {
			this.commits.incrementAndGet();
		}

		@Override
		public void recordSweep(String dict, long deleted, long nanos) {
			this.sweptDicts.add(dict);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPoolMetricsConfiguration {

		@Bean
		UserPoolMetrics userPoolMetrics() {
			return new UserPoolMetrics();
		}

		@Bean
		DictStoreOptionsCustomizer userPoolMetricsCustomizer(UserPoolMetrics metrics) {
			return (storeName, options) -> options.poolMetrics(metrics);
		}

	}

	static class UserPoolMetrics implements MetricsTrackerFactory {

		final List<String> pools = new CopyOnWriteArrayList<>();

		@Override
		public IMetricsTracker create(String poolName, PoolStats poolStats) {
			this.pools.add(poolName);
			return new IMetricsTracker() {
			};
		}

	}

}
