package io.persistentdict.boot.cache;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.persistentdict.DictSpec;
import io.persistentdict.EvictionPolicy;
import io.persistentdict.codec.Codec;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link PersistentDictCache}. Every {@code with...} method
 * returns a new instance.
 *
 * @param ttl time after which an entry expires, or {@code null} for never
 * @param sliding whether reads extend an entry's life
 * @param allowNullValues whether {@code null} values are stored
 * @param codec the codec of the values
 * @param compressionThreshold bytes from which values are compressed, or -1 for never
 * @param nearCache hot entries kept in this JVM, or 0 for none
 * @param maximumSize the most entries the cache keeps, or {@code Long.MAX_VALUE} for no
 * bound
 * @param maximumBytes the most bytes of keys and values, as stored, or
 * {@code Long.MAX_VALUE} for no bound
 * @param eviction which entries go first when a bound is reached
 * @author persistentdict
 */
public record PersistentDictCacheConfiguration(@Nullable Duration ttl, boolean sliding, boolean allowNullValues,
		Codec<Object> codec, int compressionThreshold, int nearCache, long maximumSize, long maximumBytes,
		EvictionPolicy eviction) {

	public PersistentDictCacheConfiguration {
		Objects.requireNonNull(codec, "codec must not be null");
		if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
			throw new IllegalArgumentException("ttl must be positive, was " + ttl);
		}
		if (sliding && ttl == null) {
			throw new IllegalArgumentException("sliding expiry needs a ttl");
		}
		if (nearCache < 0) {
			throw new IllegalArgumentException("nearCache must be 0 (off) or more, was " + nearCache);
		}
		if (maximumSize <= 0) {
			throw new IllegalArgumentException("maximumSize must be positive, was " + maximumSize);
		}
		if (maximumBytes <= 0) {
			throw new IllegalArgumentException("maximumBytes must be positive, was " + maximumBytes);
		}
		Objects.requireNonNull(eviction, "eviction must not be null");
	}

	/**
	 * Return the defaults: no expiry, nulls allowed, the java codec restricted to the
	 * JDK's value types and {@code allowedTypes}.
	 * @param allowedTypes the classes the java codec may deserialize
	 * @return the configuration
	 */
	public static PersistentDictCacheConfiguration defaults(List<String> allowedTypes) {
		return new PersistentDictCacheConfiguration(null, false, true, Codec.java(Object.class, allowedTypes),
				DictSpec.DEFAULT_COMPRESSION_THRESHOLD, 0, Long.MAX_VALUE, Long.MAX_VALUE,
				EvictionPolicy.LEAST_RECENTLY_STORED);
	}

	public PersistentDictCacheConfiguration withTtl(@Nullable Duration ttl) {
		return new PersistentDictCacheConfiguration(ttl, this.sliding && ttl != null, this.allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	public PersistentDictCacheConfiguration withSliding(boolean sliding) {
		return new PersistentDictCacheConfiguration(this.ttl, sliding, this.allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	public PersistentDictCacheConfiguration withAllowNullValues(boolean allowNullValues) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	public PersistentDictCacheConfiguration withCodec(Codec<Object> codec) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	public PersistentDictCacheConfiguration withCompressionThreshold(int compressionThreshold) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, this.codec,
				compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	public PersistentDictCacheConfiguration withNearCache(int nearCache) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, this.codec,
				this.compressionThreshold, nearCache, this.maximumSize, this.maximumBytes, this.eviction);
	}

	/**
	 * Return settings that keep at most {@code maximumSize} entries.
	 * @param maximumSize a positive count, or {@code Long.MAX_VALUE} for no bound
	 * @return the new settings
	 * @see DictSpec#withMaximumSize(long)
	 */
	public PersistentDictCacheConfiguration withMaximumSize(long maximumSize) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, maximumSize, this.maximumBytes, this.eviction);
	}

	/**
	 * Return settings that keep at most {@code maximumBytes} of keys and values, as
	 * stored.
	 * @param maximumBytes a positive size, or {@code Long.MAX_VALUE} for no bound
	 * @return the new settings
	 * @see DictSpec#withMaximumBytes(long)
	 */
	public PersistentDictCacheConfiguration withMaximumBytes(long maximumBytes) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, maximumBytes, this.eviction);
	}

	/**
	 * Return settings that evict in the given order when a bound is reached.
	 * @param eviction the policy
	 * @return the new settings
	 */
	public PersistentDictCacheConfiguration withEviction(EvictionPolicy eviction) {
		return new PersistentDictCacheConfiguration(this.ttl, this.sliding, this.allowNullValues, this.codec,
				this.compressionThreshold, this.nearCache, this.maximumSize, this.maximumBytes, eviction);
	}

}
