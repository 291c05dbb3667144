package io.persistentdict.benchmarks.peers;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * Caffeine, in memory, with a TTL configured.
 */
final class CaffeineKv implements Kv {

	private final Cache<String, byte[]> cache = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).build();

	@Override
	public void put(String key, byte[] value) {
		this.cache.put(key, value);
	}

	@Override
	public byte @Nullable [] get(String key) {
		return this.cache.getIfPresent(key);
	}

	@Override
	public void putAll(Map<String, byte[]> entries) {
		this.cache.putAll(entries);
	}

	@Override
	public long iterate() {
		long sum = 0;
		for (Map.Entry<String, byte[]> entry : this.cache.asMap().entrySet()) {
			sum += entry.getKey().length() + entry.getValue().length;
		}
		return sum;
	}

	@Override
	public long size() {
		return this.cache.estimatedSize();
	}

	@Override
	public void close() {
		this.cache.invalidateAll();
	}

}
