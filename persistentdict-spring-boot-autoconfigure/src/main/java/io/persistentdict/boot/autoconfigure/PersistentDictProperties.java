package io.persistentdict.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.persistentdict.EvictionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for persistentdict.
 *
 * @author persistentdict
 */
@ConfigurationProperties("persistentdict")
public class PersistentDictProperties {

	/**
	 * Name that refers to the default store in 'store' keys of maps and caches.
	 */
	public static final String DEFAULT_STORE = "default";

	/**
	 * Default store.
	 */
	@NestedConfigurationProperty
	private final StoreProperties store = new StoreProperties();

	/**
	 * Additional stores, each in its own file or database schema, by name.
	 */
	private final Map<String, StoreProperties> stores = new LinkedHashMap<>();

	/**
	 * Maps to expose as PersistentDict beans, by bean name.
	 */
	private final Map<String, MapDefinition> maps = new LinkedHashMap<>();

	private final Serialization serialization = new Serialization();

	@NestedConfigurationProperty
	private final CacheProperties cache = new CacheProperties();

	private final Maintenance maintenance = new Maintenance();

	public StoreProperties getStore() {
		return this.store;
	}

	public Map<String, StoreProperties> getStores() {
		return this.stores;
	}

	public Map<String, MapDefinition> getMaps() {
		return this.maps;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public CacheProperties getCache() {
		return this.cache;
	}

	public Maintenance getMaintenance() {
		return this.maintenance;
	}

	/**
	 * A map exposed as a PersistentDict bean.
	 */
	public static class MapDefinition {

		/**
		 * Type of the keys: String, Long, Integer or UUID.
		 */
		private Class<?> keyType = String.class;

		/**
		 * Type of the values.
		 */
		private @Nullable Class<?> valueType;

		/**
		 * Time after which an entry expires. Absent means never.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether reads extend an entry's life (expire after access). Needs a ttl.
		 */
		private boolean sliding;

		/**
		 * Codec of the values: 'java', 'json', 'string', 'bytes', 'long', 'int',
		 * 'double', 'boolean' or the name of a Codec bean. Absent means the default for
		 * the value type: a matching built-in codec, otherwise 'java'.
		 */
		private @Nullable String codec;

		/**
		 * Size from which encoded values are compressed. A negative size never
		 * compresses.
		 */
		private DataSize compressionThreshold = DataSize.ofKilobytes(1);

		/**
		 * Store that holds the map: 'default' or the name of an entry of
		 * 'persistentdict.stores'.
		 */
		private String store = "default";

		/**
		 * Number of hot entries to keep in this JVM (as stored bytes) so that repeated
		 * reads skip SQLite. 0 turns the near cache off. Writes by other processes are
		 * seen within 5 ms.
		 */
		private int nearCache;

		/**
		 * Most entries the map keeps; a write over it evicts entries in the eviction
		 * order. Absent means no bound.
		 */
		private @Nullable Long maximumSize;

		/**
		 * Most bytes of keys and values, as stored, the map keeps; a larger value is
		 * refused. Absent means no bound.
		 */
		private @Nullable DataSize maximumBytes;

		/**
		 * Which entries are evicted first when a bound is reached:
		 * 'least-recently-stored' (the default; reads stay read-only) or
		 * 'least-recently-used'.
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

		public Class<?> getKeyType() {
			return this.keyType;
		}

		public void setKeyType(Class<?> keyType) {
			this.keyType = keyType;
		}

		public @Nullable Class<?> getValueType() {
			return this.valueType;
		}

		public void setValueType(@Nullable Class<?> valueType) {
			this.valueType = valueType;
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

		public @Nullable String getCodec() {
			return this.codec;
		}

		public void setCodec(@Nullable String codec) {
			this.codec = codec;
		}

		public DataSize getCompressionThreshold() {
			return this.compressionThreshold;
		}

		public void setCompressionThreshold(DataSize compressionThreshold) {
			this.compressionThreshold = compressionThreshold;
		}

		public String getStore() {
			return this.store;
		}

		public void setStore(String store) {
			this.store = store;
		}

	}

	/**
	 * Java serialization settings.
	 */
	public static class Serialization {

		/**
		 * Additional classes the java codec may deserialize: 'com.example.Order', one
		 * package 'com.example.*' or a package tree 'com.example.**'. Declared value
		 * types, JDK value types and the application's packages are always allowed.
		 */
		private List<String> allowedTypes = new ArrayList<>();

		public List<String> getAllowedTypes() {
			return this.allowedTypes;
		}

		public void setAllowedTypes(List<String> allowedTypes) {
			this.allowedTypes = allowedTypes;
		}

	}

	/**
	 * Scheduled maintenance settings.
	 */
	public static class Maintenance {

		/**
		 * Whether to sweep expired entries and vacuum the stores on a schedule.
		 */
		private boolean enabled = true;

		/**
		 * Delay before the first sweep and vacuum after startup.
		 */
		private Duration initialDelay = Duration.ofSeconds(30);

		/**
		 * Time between sweeps of expired entries.
		 */
		private Duration sweepInterval = Duration.ofMinutes(1);

		/**
		 * Time between scheduled vacuums (a bounded incremental vacuum and a WAL
		 * checkpoint). The due time is kept in the file, so instances sharing it do not
		 * all vacuum.
		 */
		private Duration vacuumInterval = Duration.ofHours(24);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

		public Duration getVacuumInterval() {
			return this.vacuumInterval;
		}

		public void setVacuumInterval(Duration vacuumInterval) {
			this.vacuumInterval = vacuumInterval;
		}

	}

}
