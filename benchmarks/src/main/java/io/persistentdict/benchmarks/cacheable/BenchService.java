package io.persistentdict.benchmarks.cacheable;

import org.springframework.cache.annotation.Cacheable;

/**
 * The cached service: its method returns at once, so that a miss measures the cache's
 * lookup and put, not the work it saves.
 */
public class BenchService {

	/** The cache every manager serves. */
	public static final String CACHE = "bench";

	private long calls;

	/**
	 * Load an item.
	 * @param key the key
	 * @return a new item
	 */
	@Cacheable(CACHE)
	public Item find(String key) {
		this.calls++;
		return new Item(key, 1, Item.PAYLOAD);
	}

	/**
	 * Return how often {@link #find(String)} ran, that is how many misses there were.
	 * @return the number of calls
	 */
	public long calls() {
		return this.calls;
	}

}
