package io.persistentdict.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.persistentdict.EvictionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Cache manager settings: 'persistentdict.cache'.
 *
 * @author persistentdict
 */
public class CacheProperties {

	/**
	 * Whether to auto-configure a CacheManager when caching is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Codec of cached values: 'java' or the name of a Codec bean.
	 */
	private String codec = "java";

	/**
	 * Default time after which a cache entry expires. Absent means never.
	 */
	private @Nullable Duration ttl;

	/**
	 * Whether reads extend an entry's life (expire after access) by default. Needs a ttl.
	 */
	private boolean sliding;

	/**
	 * Whether to cache null values.
	 */
	private boolean allowNullValues = true;

	/**
	 * Size from which encoded values are compressed. A negative size never compresses.
	 */
	private DataSize compressionThreshold = DataSize.ofKilobytes(1);

	/**
	 * Number of hot entries of each cache to keep in this JVM (as stored bytes) so that
	 * repeated hits skip SQLite. 0 turns the near cache off. Writes by other processes
	 * are seen within 5 ms.
	 */
	private int nearCache;

	/**
	 * Default most entries of each cache; a write over it evicts entries in the eviction
	 * order. Absent means no bound.
	 */
	private @Nullable Long maximumSize;

	/**
	 * Default most bytes of keys and values, as stored, of each cache; a larger value is
	 * refused. Absent means no bound.
	 */
	private @Nullable DataSize maximumBytes;

	/**
	 * Default order in which entries are evicted when a bound is reached:
	 * 'least-recently-stored' (reads stay read-only) or 'least-recently-used'.
	 */
	private @Nullable EvictionPolicy eviction;

	public @Nullable Long getMaximumSize() {
		return this.maximumSize;
	}

	public void setMaximumSize(@Nullable Long maximumSize) {
		this.maximumSize = maximumSize;
	}

	public @Nullable DataSize getMaximumBytes() {
		return this.maximumBytes;
	}

	public void setMaximumBytes(@Nullable DataSize maximumBytes) {
		this.maximumBytes = maximumBytes;
	}

	public @Nullable EvictionPolicy getEviction() {
		return this.eviction;
	}

	public void setEviction(@Nullable EvictionPolicy eviction) {
		this.eviction = eviction;
	}

	public int getNearCache() {
		return this.nearCache;
	}

	public void setNearCache(int nearCache) {
		this.nearCache = nearCache;
	}

	/**
	 * Caches to create on startup.
	 */
	private List<String> cacheNames = new ArrayList<>();

	/**
	 * Whether caches that are not configured are created when first asked for.
	 */
	private boolean createOnDemand = true;

	/**
	 * Per-cache settings, by cache name. Listed caches are created on startup.
	 */
	private final Map<String, CacheDefinition> caches = new LinkedHashMap<>();

	/**
	 * Store that holds the caches: 'default' or the name of an entry of
	 * 'persistentdict.stores'.
	 */
	private String store = "default";

	/**
	 * Whether puts and evictions are deferred until the surrounding transaction commits.
	 */
	private boolean transactionAware;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getCodec() {
		return this.codec;
	}

	public void setCodec(String codec) {
		this.codec = codec;
	}

	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(@Nullable Duration ttl) {
		this.ttl = ttl;
	}

	public boolean isSliding() {
		return this.sliding;
	}

	public void setSliding(boolean sliding) {
		this.sliding = sliding;
	}

	public boolean isAllowNullValues() {
		return this.allowNullValues;
	}

	public void setAllowNullValues(boolean allowNullValues) {
		this.allowNullValues = allowNullValues;
	}

	public DataSize getCompressionThreshold() {
		return this.compressionThreshold;
	}

	public void setCompressionThreshold(DataSize compressionThreshold) {
		this.compressionThreshold = compressionThreshold;
	}

	public List<String> getCacheNames() {
		return this.cacheNames;
	}

	public void setCacheNames(List<String> cacheNames) {
		this.cacheNames = cacheNames;
	}

	public boolean isCreateOnDemand() {
		return this.createOnDemand;
	}

	public void setCreateOnDemand(boolean createOnDemand) {
		this.createOnDemand = createOnDemand;
	}

	public Map<String, CacheDefinition> getCaches() {
		return this.caches;
	}

	public String getStore() {
		return this.store;
	}

	public void setStore(String store) {
		this.store = store;
	}

	public boolean isTransactionAware() {
		return this.transactionAware;
	}

	public void setTransactionAware(boolean transactionAware) {
		this.transactionAware = transactionAware;
	}

	/**
	 * Settings of one cache.
	 */
	public static class CacheDefinition {

		/**
		 * Time after which an entry of this cache expires. Absent means the default ttl.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether reads extend an entry's life. Absent means the default.
		 */
		private @Nullable Boolean sliding;

		/**
		 * Most entries of this cache. Absent means the default maximum-size; -1 means no
		 * bound, even if a default is set.
		 */
		private @Nullable Long maximumSize;

		/**
		 * Most bytes of keys and values of this cache, as stored. Absent means the
		 * default maximum-bytes; -1B means no bound, even if a default is set.
		 */
		private @Nullable DataSize maximumBytes;

		/**
		 * Order in which this cache's entries are evicted. Absent means the default.
		 */
		private @Nullable EvictionPolicy eviction;

		public @Nullable Long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(@Nullable Long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public @Nullable DataSize getMaximumBytes() {
			return this.maximumBytes;
		}

		public void setMaximumBytes(@Nullable DataSize maximumBytes) {
			this.maximumBytes = maximumBytes;
		}

		public @Nullable EvictionPolicy getEviction() {
			return this.eviction;
		}

		public void setEviction(@Nullable EvictionPolicy eviction) {
			this.eviction = eviction;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public @Nullable Boolean getSliding() {
			return this.sliding;
		}

		public void setSliding(@Nullable Boolean sliding) {
			this.sliding = sliding;
		}

	}

}
