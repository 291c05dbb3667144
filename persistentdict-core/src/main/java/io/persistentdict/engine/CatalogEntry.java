package io.persistentdict.engine;

/**
 * What the catalog records of a dict.
 *
 * @param namespace the namespace
 * @param name the name
 * @param keyType the key type's class name
 * @param keyCodec the key codec's id
 * @param valueType the value type's class name
 * @param valueCodec the value codec's id
 * @param layout the {@link io.persistentdict.Layout} name
 * @param ttlMillis the dict's TTL, or 0 for none
 * @param sliding whether reads extend the TTL
 * @param compressionThreshold the compression threshold
 * @param maximumSize the most entries, or {@code Long.MAX_VALUE} for no bound
 * @param maximumBytes the most bytes of keys and values, or {@code Long.MAX_VALUE} for no
 * bound
 * @param eviction the {@link io.persistentdict.EvictionPolicy} name
 */
public record CatalogEntry(String namespace, String name, String keyType, String keyCodec, String valueType,
		String valueCodec, String layout, long ttlMillis, boolean sliding, int compressionThreshold, long maximumSize,
		long maximumBytes, String eviction) {

	/** The policy of an entry that names none. */
	public static final String DEFAULT_EVICTION = "LEAST_RECENTLY_STORED";

	/**
	 * An entry without bounds.
	 * @param namespace the namespace
	 * @param name the name
	 * @param keyType the key type's class name
	 * @param keyCodec the key codec's id
	 * @param valueType the value type's class name
	 * @param valueCodec the value codec's id
	 * @param layout the layout name
	 * @param ttlMillis the TTL, or 0
	 * @param sliding whether reads extend the TTL
	 * @param compressionThreshold the compression threshold
	 */
	public CatalogEntry(String namespace, String name, String keyType, String keyCodec, String valueType,
			String valueCodec, String layout, long ttlMillis, boolean sliding, int compressionThreshold) {
		this(namespace, name, keyType, keyCodec, valueType, valueCodec, layout, ttlMillis, sliding,
				compressionThreshold, Long.MAX_VALUE, Long.MAX_VALUE, DEFAULT_EVICTION);
	}

	/**
	 * Return whether either bound is set, so that the dict's table keeps order stamps.
	 * @return whether the dict is bounded
	 */
	public boolean bounded() {
		return this.maximumSize != Long.MAX_VALUE || this.maximumBytes != Long.MAX_VALUE;
	}

	/**
	 * Return the qualified name, {@code namespace:name}.
	 * @return the name
	 */
	public String qualifiedName() {
		return this.namespace + ":" + this.name;
	}

}
