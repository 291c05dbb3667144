package io.persistentdict.boot.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;

/**
 * A {@link CacheManager} whose caches live in a {@link DictStore}, in the
 * {@link DictSpec#CACHE_NAMESPACE cache namespace}, so that caches and maps never share a
 * table. Entries survive restarts.
 *
 * <p>
 * Caches configured up front are created on initialization; others are created when first
 * asked for, unless {@link #setCreateOnDemand(boolean) creation on demand} is off.
 * Configure the manager before it is initialized.
 *
 * @author persistentdict
 */
public class PersistentDictCacheManager implements CacheManager, InitializingBean {

	private static final String DECORATOR = "org.springframework.cache.transaction.TransactionAwareCacheDecorator";

	private final DictStore store;

	private PersistentDictCacheConfiguration defaults;

	private final Map<String, PersistentDictCacheConfiguration> initialCaches = new LinkedHashMap<>();

	private final ConcurrentMap<String, Cache> caches = new ConcurrentHashMap<>();

	private final List<Consumer<Cache>> creationListeners = new CopyOnWriteArrayList<>();

	private boolean createOnDemand = true;

	private boolean transactionAware;

	private ConversionService conversionService = CacheKeyConverter.createDefaultConversionService();

	private Executor executor = ForkJoinPool.commonPool();

	/**
	 * Create a manager.
	 * @param store the store that holds the caches
	 * @param defaults the settings of caches that are not configured individually
	 */
	public PersistentDictCacheManager(DictStore store, PersistentDictCacheConfiguration defaults) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
	}

	public DictStore getStore() {
		return this.store;
	}

	public PersistentDictCacheConfiguration getDefaults() {
		return this.defaults;
	}

	public void setDefaults(PersistentDictCacheConfiguration defaults) {
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
	}

	/**
	 * Configure a cache that is created on initialization.
	 * @param name the cache's name
	 * @param configuration its settings
	 */
	public void registerCache(String name, PersistentDictCacheConfiguration configuration) {
		this.initialCaches.put(DictSpec.validateName(name), Objects.requireNonNull(configuration, "configuration"));
	}

	/**
	 * Return the caches configured up front and their settings.
	 * @return the configurations, by cache name
	 */
	public Map<String, PersistentDictCacheConfiguration> getInitialCaches() {
		return Collections.unmodifiableMap(this.initialCaches);
	}

	/**
	 * Set whether caches that were not configured up front are created when first asked
	 * for. On by default.
	 * @param createOnDemand whether to create caches on demand
	 */
	public void setCreateOnDemand(boolean createOnDemand) {
		this.createOnDemand = createOnDemand;
	}

	public boolean isCreateOnDemand() {
		return this.createOnDemand;
	}

	/**
	 * Set whether puts and evictions wait for the surrounding transaction to commit
	 * (needs spring-tx and spring-context-support). Off by default.
	 * @param transactionAware whether caches are transaction-aware
	 */
	public void setTransactionAware(boolean transactionAware) {
		if (transactionAware && !ClassUtils.isPresent(DECORATOR, getClass().getClassLoader())) {
			throw new IllegalStateException("Transaction-aware caches need " + DECORATOR
					+ ": add spring-context-support and spring-tx to the classpath");
		}
		this.transactionAware = transactionAware;
	}

	public boolean isTransactionAware() {
		return this.transactionAware;
	}

	/**
	 * Set the conversion service that turns keys into strings.
	 * @param conversionService the conversion service
	 */
	public void setConversionService(ConversionService conversionService) {
		this.conversionService = Objects.requireNonNull(conversionService, "conversionService must not be null");
	}

	/**
	 * Set the executor that runs the lookups of {@code Cache.retrieve}. The common
	 * fork-join pool by default.
	 * @param executor the executor
	 */
	public void setExecutor(Executor executor) {
		this.executor = Objects.requireNonNull(executor, "executor must not be null");
	}

	/**
	 * Add a callback that is told of every cache this manager creates, including those
	 * created before the callback was added.
	 * @param listener the callback
	 */
	public void addCacheCreationListener(Consumer<Cache> listener) {
		this.creationListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
		new ArrayList<>(this.caches.values()).forEach(listener);
	}

	@Override
	public void afterPropertiesSet() {
		this.initialCaches.keySet().forEach(this::getOrCreate);
	}

	@Override
	public @Nullable Cache getCache(String name) {
		Cache cache = this.caches.get(name);
		if (cache != null) {
			return cache;
		}
		if (!this.createOnDemand && !this.initialCaches.containsKey(name)) {
			return null;
		}
		return getOrCreate(name);
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.caches.keySet()));
	}

	private Cache getOrCreate(String name) {
		boolean[] created = new boolean[1];
		Cache cache = this.caches.computeIfAbsent(name, (key) -> {
			created[0] = true;
			return createCache(key, this.initialCaches.getOrDefault(key, this.defaults));
		});
		if (created[0]) {
			this.creationListeners.forEach((listener) -> listener.accept(cache));
		}
		return cache;
	}

	/**
	 * Create a cache.
	 * @param name the cache's name
	 * @param configuration its settings
	 * @return the cache, decorated if transaction-aware
	 */
	protected Cache createCache(String name, PersistentDictCacheConfiguration configuration) {
		DictSpec<String, Object> spec = DictSpec.of(name, String.class, Object.class)
			.withNamespace(DictSpec.CACHE_NAMESPACE)
			.withTtl(configuration.ttl())
			.withSliding(configuration.sliding())
			.withCodec(configuration.codec())
			.withCompressionThreshold(configuration.compressionThreshold())
			.withNearCache(configuration.nearCache())
			.withEviction(configuration.eviction());
		if (configuration.maximumSize() != Long.MAX_VALUE) {
			spec = spec.withMaximumSize(configuration.maximumSize());
		}
		if (configuration.maximumBytes() != Long.MAX_VALUE) {
			spec = spec.withMaximumBytes(configuration.maximumBytes());
		}
		PersistentDict<String, Object> dict = this.store.dict(spec);
		Cache cache = new PersistentDictCache(name, dict, configuration.allowNullValues(), this.conversionService,
				this.executor);
		return this.transactionAware ? TransactionAwareDecorator.decorate(cache) : cache;
	}

	/**
	 * Keeps spring-context-support's decorator off the class path until it is used.
	 */
	private static final class TransactionAwareDecorator {

		static Cache decorate(Cache cache) {
			return new TransactionAwareCacheDecorator(cache);
		}

	}

}
