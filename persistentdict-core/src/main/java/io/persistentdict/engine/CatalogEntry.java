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
 */
public record CatalogEntry(String namespace, String name, String keyType, String keyCodec, String valueType,
		String valueCodec, String layout, long ttlMillis, boolean sliding, int compressionThreshold) {

	/**
	 * Return the qualified name, {@code namespace:name}.
	 * @return the name
	 */
	public String qualifiedName() {
		return this.namespace + ":" + this.name;
	}

}
