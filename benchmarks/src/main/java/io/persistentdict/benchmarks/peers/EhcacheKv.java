package io.persistentdict.benchmarks.peers;

import java.time.Duration;
import java.util.Map;

import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ehcache 3: a heap tier of 10,000 entries over a persistent disk tier, with a TTL.
 */
final class EhcacheKv implements Kv {

	private final PersistentCacheManager manager;

	private final Cache<String, byte[]> cache;

	EhcacheKv(Peer.Config config) {
		this.manager = CacheManagerBuilder.newCacheManagerBuilder()
			.with(CacheManagerBuilder.persistence(config.dir().resolve("ehcache").toFile()))
			.withCache("bench",
					CacheConfigurationBuilder
						.newCacheConfigurationBuilder(String.class, byte[].class,
								ResourcePoolsBuilder.newResourcePoolsBuilder()
									.heap(10_000, EntryUnit.ENTRIES)
									.disk(16, MemoryUnit.GB, true))
						.withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(Duration.ofDays(1))))
			.build(true);
		this.cache = this.manager.getCache("bench", String.class, byte[].class);
	}

	@Override
	public void put(String key, byte[] value) {
		this.cache.put(key, value);
	}

	@Override
	public byte @Nullable [] get(String key) {
		return this.cache.get(key);
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		this.cache.putAll(entries);
	}

	@Override
	public long iterate() {
		long sum = 0;
		for (Cache.Entry<String, byte[]> entry : this.cache) {
			sum += entry.getKey().length() + entry.getValue().length;
		}
		return sum;
	}

	@Override
	public long size() {
		// Ehcache 3 has no size(); counting means iterating
		long count = 0;
		for (Cache.Entry<String, byte[]> entry : this.cache) {
			count += (entry != null) ? 1 : 0;
		}
		return count;
	}

	@Override
	public void close() {
		this.manager.close();
	}

}
