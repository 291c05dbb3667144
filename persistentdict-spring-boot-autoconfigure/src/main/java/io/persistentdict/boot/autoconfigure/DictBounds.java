package io.persistentdict.boot.autoconfigure;

import io.persistentdict.DictSpec;
import io.persistentdict.EvictionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Reads the {@code maximum-size}, {@code maximum-bytes} and {@code eviction} keys of a
 * map or a cache. A bound is a positive number; {@code -1} means no bound (so that one
 * cache can opt out of the default of {@code persistentdict.cache}); anything else is
 * refused with the property's name.
 *
 * @author persistentdict
 */
public final class DictBounds {

	/** No bound. */
	public static final long NONE = Long.MAX_VALUE;

	private DictBounds() {
	}

	/**
	 * Return a configured maximum size as a bound.
	 * @param property the property's name, for the message
	 * @param value the configured value, or {@code null}
	 * @param inherited the bound to use when the value is absent
	 * @return the bound, {@link #NONE} for none
	 */
	public static long size(String property, @Nullable Long value, long inherited) {
		return bound(property, value, inherited, "a positive number of entries");
	}

	/**
	 * Return a configured maximum bytes as a bound.
	 * @param property the property's name, for the message
	 * @param value the configured value, or {@code null}
	 * @param inherited the bound to use when the value is absent
	 * @return the bound, {@link #NONE} for none
	 */
	public static long bytes(String property, @Nullable DataSize value, long inherited) {
		return bound(property, (value != null) ? value.toBytes() : null, inherited, "a positive size such as 512MB");
	}

	/**
	 * Apply bounds and a policy to a spec.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param spec the spec
	 * @param maximumSize the most entries, or {@link #NONE}
	 * @param maximumBytes the most bytes, or {@link #NONE}
	 * @param eviction the policy, or {@code null} for the default
	 * @return the bounded spec
	 */
	public static <K, V> DictSpec<K, V> apply(DictSpec<K, V> spec, long maximumSize, long maximumBytes,
			@Nullable EvictionPolicy eviction) {
		DictSpec<K, V> bounded = spec;
		if (maximumSize != NONE) {
			bounded = bounded.withMaximumSize(maximumSize);
		}
		if (maximumBytes != NONE) {
			bounded = bounded.withMaximumBytes(maximumBytes);
		}
		return (eviction != null) ? bounded.withEviction(eviction) : bounded;
	}

	private static long bound(String property, @Nullable Long value, long inherited, String what) {
		if (value == null) {
			return inherited;
		}
		if (value == -1) {
			return NONE;
		}
		if (value <= 0) {
			throw new PersistentDictConfigurationException(property,
					"'" + property + "' is " + value + ", which bounds nothing.",
					"Set '" + property + "' to " + what + ", to -1 for no bound, or remove it.");
		}
		return value;
	}

}
