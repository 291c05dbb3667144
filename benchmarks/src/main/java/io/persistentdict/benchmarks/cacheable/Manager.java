package io.persistentdict.benchmarks.cacheable;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.persistentdict.PersistentDict;
import io.persistentdict.boot.cache.PersistentDictCache;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/**
 * The cache managers under test. Each gets the same Spring Boot application (caching
 * enabled, {@link BenchService} proxied, web off, auto-configuration on);
 * persistentdict's cache manager is the one its starter auto-configures, the others are
 * beans of the application, which make the auto-configured ones back off.
 */
public enum Manager {

	/** persistentdict's auto-configured cache manager, the default {@code java} codec. */
	PERSISTENTDICT("persistentdict (starter's auto-configured CacheManager, java codec)",
			"on disk: SQLite WAL, synchronous=NORMAL (a power loss may drop the last commits)"),

	/** {@code RedisCacheManager} on the local redis-server, JDK serialization. */
	REDIS("RedisCacheManager (Lettuce, JdkSerializationRedisSerializer values, String keys)",
			"Redis on 127.0.0.1, AOF everysec (loses up to ~1 s)"),

	/** {@code CaffeineCacheManager}: in memory, stores references. */
	CAFFEINE("CaffeineCacheManager (in memory, stores references: no serialization, no copy)",
			"in memory only (lost on restart)");

	private static final List<String> PERSISTENTDICT_AUTO_CONFIGURATIONS = List.of(
			"io.persistentdict.boot.autoconfigure.PersistentDictAutoConfiguration",
			"io.persistentdict.boot.autoconfigure.cache.PersistentDictCacheAutoConfiguration",
			"io.persistentdict.boot.autoconfigure.metrics.PersistentDictMetricsAutoConfiguration",
			"io.persistentdict.boot.autoconfigure.health.PersistentDictHealthContributorAutoConfiguration",
			"io.persistentdict.boot.autoconfigure.endpoint.PersistentDictEndpointAutoConfiguration",
			"io.persistentdict.boot.autoconfigure.maintenance.PersistentDictMaintenanceAutoConfiguration");

	private final String label;

	private final String storage;

	Manager(String label, String storage) {
		this.label = label;
		this.storage = storage;
	}

	/**
	 * Return the label the report shows.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Return where the cache keeps its entries, and what a crash loses.
	 * @return the description
	 */
	public String storage() {
		return this.storage;
	}

	/**
	 * Start the application for this manager.
	 * @param dir a directory for persistentdict's store
	 * @return the running context
	 */
	ConfigurableApplicationContext start(Path dir) {
		List<Class<?>> sources = new ArrayList<>(List.of(Application.class));
		List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=WARN",
				"spring.main.web-application-type=none"));
		switch (this) {
			case PERSISTENTDICT -> {
				properties.add("persistentdict.store.path=" + dir.resolve("cache.db"));
				properties.add("persistentdict.serialization.allowed-types=io.persistentdict.benchmarks.cacheable.*");
			}
			case REDIS -> {
				sources.add(RedisCaching.class);
				properties.add("spring.autoconfigure.exclude=" + String.join(",", PERSISTENTDICT_AUTO_CONFIGURATIONS));
			}
			case CAFFEINE -> {
				sources.add(CaffeineCaching.class);
				properties.add("spring.autoconfigure.exclude=" + String.join(",", PERSISTENTDICT_AUTO_CONFIGURATIONS));
			}
		}
		return new SpringApplicationBuilder(sources.toArray(new Class<?>[0])).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties.toArray(new String[0]))
			.run();
	}

	/**
	 * Return the cache's own read of a key, without the {@code @Cacheable} proxy: a
	 * {@code PersistentDict.get}, Caffeine's {@code getIfPresent}, and for Redis the
	 * cache writer's {@code GET} of the prefixed key and the value's deserialization.
	 * @param cache the Spring cache
	 * @return the read
	 */
	Function<String, @Nullable Object> direct(Cache cache) {
		return switch (this) {
			case PERSISTENTDICT -> {
				PersistentDict<String, Object> dict = ((PersistentDictCache) cache).getNativeCache();
				yield dict::get;
			}
			case CAFFEINE -> {
				com.github.benmanes.caffeine.cache.Cache<Object, Object> caffeine = ((CaffeineCache) cache)
					.getNativeCache();
				yield caffeine::getIfPresent;
			}
			case REDIS -> {
				RedisCache redis = (RedisCache) cache;
				RedisCacheWriter writer = redis.getNativeCache();
				RedisCacheConfiguration configuration = redis.getCacheConfiguration();
				String prefix = configuration.getKeyPrefixFor(cache.getName());
				SerializationPair<String> keys = configuration.getKeySerializationPair();
				SerializationPair<Object> values = configuration.getValueSerializationPair();
				String name = cache.getName();
				yield (key) -> {
					ByteBuffer buffer = keys.write(prefix + key);
					byte[] bytes = new byte[buffer.remaining()];
					buffer.get(bytes);
					byte[] value = writer.get(name, bytes);
					return (value != null) ? values.read(ByteBuffer.wrap(value)) : null;
				};
			}
		};
	}

	/**
	 * The application every manager runs in.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	public static class Application {

		@Bean
		BenchService benchService() {
			return new BenchService();
		}

	}

	/**
	 * {@code RedisCacheManager} on the redis-server that {@code run.sh} starts on
	 * 127.0.0.1 (port in {@code bench.redis.port}).
	 */
	@Configuration(proxyBeanMethods = false)
	public static class RedisCaching {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			String port = System.getProperty("bench.redis.port");
			if (port == null) {
				throw new IllegalStateException("Set -Dbench.redis.port to a redis-server on 127.0.0.1 (run.sh does)");
			}
			// loopback only, always
			return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(port)));
		}

		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			try (RedisConnection connection = connectionFactory.getConnection()) {
				connection.serverCommands().setConfig("appendonly", "yes");
				connection.serverCommands().setConfig("appendfsync", "everysec");
				connection.serverCommands().flushAll();
			}
			RedisCacheConfiguration defaults = RedisCacheConfiguration.defaultCacheConfig()
				.serializeKeysWith(SerializationPair.fromSerializer(new StringRedisSerializer()))
				.serializeValuesWith(SerializationPair
					.fromSerializer(new JdkSerializationRedisSerializer(Manager.class.getClassLoader())));
			return RedisCacheManager.builder(connectionFactory)
				.cacheDefaults(defaults)
				.initialCacheNames(Set.of(BenchService.CACHE))
				.build();
		}

	}

	/**
	 * {@code CaffeineCacheManager} with Caffeine's defaults (unbounded).
	 */
	@Configuration(proxyBeanMethods = false)
	public static class CaffeineCaching {

		@Bean
		CaffeineCacheManager cacheManager() {
			return new CaffeineCacheManager(BenchService.CACHE);
		}

	}

}
