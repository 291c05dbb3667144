package io.persistentdict.boot.autoconfigure.cache;

import io.persistentdict.DictStore;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.boot.autoconfigure.DictBounds;
import io.persistentdict.boot.autoconfigure.DictStoreFactory;
import io.persistentdict.boot.autoconfigure.PersistentDictConfigurationException;
import io.persistentdict.boot.autoconfigure.CacheProperties;
import io.persistentdict.boot.cache.PersistentDictCacheConfiguration;
import io.persistentdict.boot.cache.PersistentDictCacheManager;
import io.persistentdict.codec.Codec;

/**
 * Builds a {@link PersistentDictCacheManager} from {@code persistentdict.cache.*}.
 *
 * @author persistentdict
 */
class CacheManagerFactory {

	private final CacheProperties properties;

	private final DictStoreFactory factory;

	CacheManagerFactory(CacheProperties properties, DictStoreFactory factory) {
		this.properties = properties;
		this.factory = factory;
	}

	PersistentDictCacheManager create(DictStore store) {
		PersistentDictCacheConfiguration defaults = defaults();
		PersistentDictCacheManager manager = new PersistentDictCacheManager(store, defaults);
		this.properties.getCacheNames().forEach((name) -> manager.registerCache(name, defaults));
		this.properties.getCaches().forEach((name, cache) -> {
			PersistentDictCacheConfiguration configuration = defaults;
			try {
				if (cache.getTtl() != null) {
					configuration = configuration.withTtl(cache.getTtl());
				}
				if (cache.getSliding() != null) {
					configuration = configuration.withSliding(cache.getSliding());
				}
				String prefix = "persistentdict.cache.caches." + name;
				configuration = configuration
					.withMaximumSize(
							DictBounds.size(prefix + ".maximum-size", cache.getMaximumSize(), defaults.maximumSize()))
					.withMaximumBytes(DictBounds.bytes(prefix + ".maximum-bytes", cache.getMaximumBytes(),
							defaults.maximumBytes()));
				if (cache.getEviction() != null) {
					configuration = configuration.withEviction(cache.getEviction());
				}
			}
			catch (IllegalArgumentException ex) {
				throw invalid("persistentdict.cache.caches." + name, ex);
			}
			manager.registerCache(name, configuration);
		});
		manager.setCreateOnDemand(this.properties.isCreateOnDemand());
		manager.setTransactionAware(this.properties.isTransactionAware());
		return manager;
	}

	private PersistentDictCacheConfiguration defaults() {
		String property = "persistentdict.cache.codec";
		String codecName = this.properties.getCodec();
		if ("json".equals(codecName)) {
			throw new PersistentDictConfigurationException(property,
					"The json codec cannot restore the types of cached values.",
					"Set '" + property + "' to 'java', or to the name of a Codec bean that records types.");
		}
		Codec<Object> codec = this.factory.codec(property, codecName, Object.class);
		int threshold = DictStoreFactory.compressionThreshold("persistentdict.cache.compression-threshold",
				this.properties.getCompressionThreshold());
		try {
			return PersistentDictCacheConfiguration.defaults(this.factory.getAllowedTypes())
				.withCodec(codec)
				.withTtl(this.properties.getTtl())
				.withSliding(this.properties.isSliding())
				.withAllowNullValues(this.properties.isAllowNullValues())
				.withCompressionThreshold(threshold)
				.withNearCache(this.properties.getNearCache())
				.withMaximumSize(DictBounds.size("persistentdict.cache.maximum-size", this.properties.getMaximumSize(),
						DictBounds.NONE))
				.withMaximumBytes(DictBounds.bytes("persistentdict.cache.maximum-bytes",
						this.properties.getMaximumBytes(), DictBounds.NONE))
				.withEviction((this.properties.getEviction() != null) ? this.properties.getEviction()
						: EvictionPolicy.LEAST_RECENTLY_STORED);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("persistentdict.cache", ex);
		}
	}

	private static PersistentDictConfigurationException invalid(String prefix, IllegalArgumentException ex) {
		return new PersistentDictConfigurationException(prefix,
				"Invalid cache settings under '" + prefix + "': " + ex.getMessage() + ".", "Set a positive '" + prefix
						+ ".ttl' (sliding expiry needs one), or turn '" + prefix + ".sliding' off.");
	}

}
