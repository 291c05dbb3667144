package io.persistentdict.boot.cache;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.persistentdict.DictStats;
import io.persistentdict.PersistentDict;
import io.persistentdict.ValueDecodingException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.core.convert.ConversionService;

/**
 * A Spring {@link org.springframework.cache.Cache} over a {@link PersistentDict} of
 * {@code String} keys, one table per cache.
 *
 * <ul>
 * <li>Keys are converted to readable strings with a {@link ConversionService}, as
 * {@code RedisCache} does.</li>
 * <li>{@link #get(Object, Callable)} runs the loader once per key across the threads of
 * this JVM, outside any database transaction: other keys are never blocked by a slow
 * loader.</li>
 * <li>{@link #retrieve(Object)} and {@link #retrieve(Object, Supplier)} never block the
 * caller: the lookup runs on the executor.</li>
 * <li>{@link #putIfAbsent}, {@link #evictIfPresent} and {@link #invalidate} are immediate
 * and atomic.</li>
 * <li>A value that no longer decodes (its class changed in a redeploy, or is not allowed)
 * is a miss: it is evicted and counted.</li>
 * </ul>
 *
 * @author persistentdict
 */
public class PersistentDictCache extends AbstractValueAdaptingCache {

	private static final Log logger = LogFactory.getLog(PersistentDictCache.class);

	private final String name;

	private final PersistentDict<String, Object> dict;

	private final CacheKeyConverter keyConverter;

	private final Executor executor;

	private final SingleFlight loads;

	private final CacheStatistics statistics = new CacheStatistics();

	/**
	 * Create a cache.
	 * @param name the cache's name
	 * @param dict the dict that holds its entries
	 * @param allowNullValues whether to store {@code null} values
	 * @param conversionService converts keys to strings
	 * @param executor runs the lookups of {@code retrieve}
	 */
	public PersistentDictCache(String name, PersistentDict<String, Object> dict, boolean allowNullValues,
			ConversionService conversionService, Executor executor) {
		super(allowNullValues);
		this.name = name;
		this.dict = dict;
		this.keyConverter = new CacheKeyConverter(name, conversionService);
		this.executor = executor;
		this.loads = new SingleFlight(name);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public PersistentDict<String, Object> getNativeCache() {
		return this.dict;
	}

	/**
	 * Return this cache's counters.
	 * @return the statistics
	 */
	public CacheStatistics getStatistics() {
		return this.statistics;
	}

	/**
	 * Return how many entries this JVM evicted to keep the cache within its maximum size
	 * or bytes. {@code cache.evictions} adds them to the explicit evictions of
	 * {@link CacheStatistics#getEvictions()}.
	 * @return the evictions for a bound
	 */
	public long boundEvictions() {
		try {
			DictStats stats = this.dict.store().stats().dicts().get(this.dict.spec().qualifiedName());
			return (stats != null) ? stats.evictions() : 0;
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Return the number of live entries, from the store's exact counts (no
	 * {@code COUNT(*)}).
	 * @return the size
	 */
	public long estimatedSize() {
		try {
			DictStats stats = this.dict.store().stats().dicts().get(this.dict.spec().qualifiedName());
			return (stats != null && stats.entries() >= 0) ? stats.entries() : this.dict.mappingCount();
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		return lookupStored(convertKey(key), true);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		String storedKey = convertKey(key);
		Object stored = lookupStored(storedKey, true);
		if (stored == null) {
			stored = this.loads.load(storedKey, () -> loadAndStore(storedKey, key, valueLoader));
		}
		return (T) fromStoreValue(stored);
	}

	@Override
	public CompletableFuture<?> retrieve(Object key) {
		String storedKey = convertKey(key);
		return CompletableFuture.supplyAsync(() -> toValueWrapper(lookupStored(storedKey, true)), this.executor);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		String storedKey = convertKey(key);
		return CompletableFuture.supplyAsync(() -> lookupStored(storedKey, true), this.executor)
			.thenCompose((stored) -> (stored != null) ? CompletableFuture.completedFuture(stored)
					: this.loads.loadAsync(storedKey, valueLoader, (value) -> storeLoaded(storedKey, value),
							this.executor))
			.thenApply((stored) -> (T) fromStoreValue(stored));
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.dict.set(convertKey(key), toStoreValue(value));
		this.statistics.puts.increment();
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		String storedKey = convertKey(key);
		Object stored = toStoreValue(value);
		Object existing;
		try {
			existing = this.dict.putIfAbsent(storedKey, stored);
		}
		catch (ValueDecodingException ex) {
			evictUndecodable(storedKey, ex);
			existing = this.dict.putIfAbsent(storedKey, stored);
		}
		if (existing == null) {
			this.statistics.puts.increment();
		}
		return toValueWrapper(existing);
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean evicted = this.dict.removeAll(List.of(convertKey(key))) > 0;
		if (evicted) {
			this.statistics.evictions.increment();
		}
		return evicted;
	}

	@Override
	public void clear() {
		this.dict.clear();
	}

	@Override
	public boolean invalidate() {
		boolean hadEntries = !this.dict.isEmpty();
		this.dict.clear();
		return hadEntries;
	}

	@Override
	protected Object toStoreValue(@Nullable Object userValue) {
		if (userValue == null && !isAllowNullValues()) {
			throw new IllegalArgumentException(("Cache '%s' does not allow 'null' values; avoid storing null via "
					+ "'@Cacheable(unless=\"#result == null\")' or configure the cache to allow them with "
					+ "'persistentdict.cache.allow-null-values=true'")
				.formatted(this.name));
		}
		return super.toStoreValue(userValue);
	}

	/**
	 * Convert a key to the string stored in the file.
	 * @param key the key
	 * @return the stored key
	 */
	protected String convertKey(Object key) {
		return this.keyConverter.convert(key);
	}

	private @Nullable Object lookupStored(String storedKey, boolean record) {
		Object stored;
		try {
			stored = this.dict.get(storedKey);
		}
		catch (ValueDecodingException ex) {
			evictUndecodable(storedKey, ex);
			stored = null;
		}
		if (record) {
			((stored != null) ? this.statistics.hits : this.statistics.misses).increment();
		}
		return stored;
	}

	private void evictUndecodable(String storedKey, ValueDecodingException ex) {
		this.statistics.decodingFailures.increment();
		this.statistics.evictions.increment();
		logger.warn("Cache '" + this.name + "' evicted an entry that no longer decodes, and treats it as a miss: "
				+ ex.getMessage());
		this.dict.removeAll(List.of(storedKey));
	}

	/** Look up, then load and store on a miss: what one loading thread does for a key. */
	private Object loadAndStore(String storedKey, Object key, Callable<?> valueLoader) {
		Object stored = lookupStored(storedKey, false);
		if (stored != null) {
			return stored;
		}
		Object value;
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
		stored = toStoreValue(value);
		this.dict.set(storedKey, stored);
		this.statistics.puts.increment();
		return stored;
	}

	/**
	 * Store what an asynchronous loader produced; {@code null} when it is not cacheable.
	 */
	private @Nullable Object storeLoaded(String storedKey, @Nullable Object value) {
		if (value == null && !isAllowNullValues()) {
			return null;
		}
		Object stored = toStoreValue(value);
		this.dict.set(storedKey, stored);
		this.statistics.puts.increment();
		return stored;
	}

	/**
	 * Counters of one cache, for metrics.
	 */
	public static final class CacheStatistics {

		private final LongAdder hits = new LongAdder();

		private final LongAdder misses = new LongAdder();

		private final LongAdder puts = new LongAdder();

		private final LongAdder evictions = new LongAdder();

		private final LongAdder decodingFailures = new LongAdder();

		public long getHits() {
			return this.hits.sum();
		}

		public long getMisses() {
			return this.misses.sum();
		}

		public long getPuts() {
			return this.puts.sum();
		}

		public long getEvictions() {
			return this.evictions.sum();
		}

		/**
		 * Return how many entries were evicted because they no longer decoded.
		 * @return the count
		 */
		public long getDecodingFailures() {
			return this.decodingFailures.sum();
		}

	}

}
