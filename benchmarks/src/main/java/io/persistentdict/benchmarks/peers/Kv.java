package io.persistentdict.benchmarks.peers;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What every peer offers the benchmarks: a string-keyed map of byte arrays. Each method
 * is thread-safe. A write is as durable on return as the peer's {@link Peer#durability()}
 * says.
 */
public interface Kv extends AutoCloseable {

	/**
	 * Put an entry, without reading the previous value.
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, byte[] value);

	/**
	 * Put an entry the way {@code Map.put} does. Peers whose native put returns nothing
	 * (raw SQL's {@code INSERT OR REPLACE}) do the same as {@link #put}.
	 * @param key the key
	 * @param value the value
	 * @return the previous value, if the peer reads it
	 */
	default byte @Nullable [] putReturning(String key, byte[] value) {
		put(key, value);
		return null;
	}

	/**
	 * Return the value of a key.
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	byte @Nullable [] get(String key);

	/**
	 * Put every entry, in one transaction where the peer has them.
	 * @param entries the entries
	 */
	void putAll(Map<String, byte[]> entries);

	/**
	 * Put every entry, each expiring after {@code ttl}.
	 * @param entries the entries
	 * @param ttl the time to live
	 */
	default void putAll(Map<String, byte[]> entries, Duration ttl) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " has no expiry here");
	}

	/**
	 * Delete the expired entries.
	 * @return how many were deleted
	 */
	default long purgeExpired() {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " has no purge here");
	}

	/**
	 * Visit every entry.
	 * @return the sum of the value lengths, so that nothing is optimized away
	 */
	long iterate();

	/**
	 * Count the entries.
	 * @return the count
	 */
	long size();

	/**
	 * Give free space back to the file system.
	 */
	default void vacuum() {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " has no vacuum here");
	}

	@Override
	void close();

}
