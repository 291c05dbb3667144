package io.persistentdict;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import org.jspecify.annotations.Nullable;

/**
 * Immutable description of a dict: its name, types, codecs, expiry policy and size
 * bounds. Every {@code with...} method returns a new spec.
 *
 * <pre class="code">
 * DictSpec&lt;String, Session&gt; spec = DictSpec.of("sessions", String.class, Session.class)
 *     .withTtl(Duration.ofMinutes(30))
 *     .withSliding(true);
 * PersistentDict&lt;String, Session&gt; sessions = store.dict(spec);
 * </pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DictSpec<K, V> {

	/** The namespace of dicts opened with {@link DictStore#dict}. */
	public static final String MAP_NAMESPACE = "map";

	/**
	 * The namespace the Spring cache manager uses, so caches never share maps' tables.
	 */
	public static final String CACHE_NAMESPACE = "cache";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");

	private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9]{0,15}");

	/** The default compression threshold: values of 1 KiB and more are deflated. */
	public static final int DEFAULT_COMPRESSION_THRESHOLD = 1024;

	private final String name;

	private final String namespace;

	private final Class<K> keyType;

	private final Class<V> valueType;

	private final @Nullable KeyCodec<K> keyCodec;

	private final @Nullable Codec<V> valueCodec;

	private final @Nullable Duration ttl;

	private final boolean sliding;

	private final int compressionThreshold;

	private final Layout layout;

	private final boolean clearOnOpen;

	private final int nearCache;

	private final long maximumSize;

	private final long maximumBytes;

	private final EvictionPolicy eviction;

	private DictSpec(Parts<K, V> p) {
		this.name = p.name;
		this.namespace = p.namespace;
		this.keyType = p.keyType;
		this.valueType = p.valueType;
		this.keyCodec = p.keyCodec;
		this.valueCodec = p.valueCodec;
		this.ttl = p.ttl;
		this.sliding = p.sliding;
		this.compressionThreshold = p.compressionThreshold;
		this.layout = p.layout;
		this.clearOnOpen = p.clearOnOpen;
		this.nearCache = p.nearCache;
		this.maximumSize = p.maximumSize;
		this.maximumBytes = p.maximumBytes;
		this.eviction = p.eviction;
	}

	private DictSpec<K, V> with(Consumer<Parts<K, V>> change) {
		Parts<K, V> parts = new Parts<>(this);
		change.accept(parts);
		return new DictSpec<>(parts);
	}

	/**
	 * Start a spec with no expiry, the default codecs and compression from 1 KiB.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name letters, digits and {@code _ . : -}, starting with a letter or digit,
	 * at most 100 characters
	 * @param keyType the key type
	 * @param valueType the value type
	 * @return the spec
	 */
	public static <K, V> DictSpec<K, V> of(String name, Class<K> keyType, Class<V> valueType) {
		return new DictSpec<>(
				new Parts<>(validateName(name), Objects.requireNonNull(keyType, "keyType must not be null"),
						Objects.requireNonNull(valueType, "valueType must not be null")));
	}

	/**
	 * Check a dict name.
	 * @param name the name
	 * @return the name
	 * @throws IllegalArgumentException if it is not a valid name
	 */
	public static String validateName(String name) {
		Objects.requireNonNull(name, "name must not be null");
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid dict name '" + Strings.shorten(name, 120)
					+ "': use 1 to 100 letters, digits and '_.:-', starting with a letter or digit");
		}
		return name;
	}

	/**
	 * Check a namespace.
	 * @param namespace the namespace
	 * @return the namespace
	 * @throws IllegalArgumentException if it is not a valid namespace
	 */
	static String validateNamespace(String namespace) {
		Objects.requireNonNull(namespace, "namespace must not be null");
		if (!NAMESPACE.matcher(namespace).matches()) {
			throw new IllegalArgumentException("Invalid namespace '" + Strings.shorten(namespace, 40)
					+ "': use 1 to 16 lower-case letters and digits");
		}
		return namespace;
	}

	public DictSpec<K, V> withNamespace(String namespace) {
		validateNamespace(namespace);
		return with((p) -> p.namespace = namespace);
	}

	/**
	 * Return a spec whose entries expire {@code ttl} after they are written. Changing the
	 * TTL of an existing dict applies to later writes only; call
	 * {@link PersistentDict#restampAll()} to apply it to the entries already there.
	 * @param ttl a positive duration, or {@code null} for no expiry
	 * @return the new spec
	 */
	public DictSpec<K, V> withTtl(@Nullable Duration ttl) {
		if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
			throw new IllegalArgumentException("ttl of dict '" + this.name + "' must be positive, was " + ttl);
		}
		return with((p) -> p.ttl = ttl);
	}

	/**
	 * Return a spec whose reads extend an entry's life (expire after access). Needs a
	 * TTL. The extension is approximate: a read refreshes the expiry only when less than
	 * half the TTL remains, and refreshes are written in the background, coalesced.
	 * @param sliding whether reads extend the expiry
	 * @return the new spec
	 */
	public DictSpec<K, V> withSliding(boolean sliding) {
		return with((p) -> p.sliding = sliding);
	}

	public DictSpec<K, V> withCodec(Codec<V> valueCodec) {
		Objects.requireNonNull(valueCodec, "valueCodec must not be null");
		return with((p) -> p.valueCodec = valueCodec);
	}

	public DictSpec<K, V> withKeyCodec(KeyCodec<K> keyCodec) {
		Objects.requireNonNull(keyCodec, "keyCodec must not be null");
		return with((p) -> p.keyCodec = keyCodec);
	}

	/**
	 * Return a spec that deflates encoded values of at least {@code threshold} bytes, and
	 * keeps the compressed form only when it is smaller.
	 * @param threshold bytes, 0 to try every value, or -1 to never compress
	 * @return the new spec
	 */
	public DictSpec<K, V> withCompressionThreshold(int threshold) {
		if (threshold < -1) {
			throw new IllegalArgumentException(
					"compressionThreshold of dict '" + this.name + "' must be -1 (off) or more, was " + threshold);
		}
		return with((p) -> p.compressionThreshold = threshold);
	}

	public DictSpec<K, V> withLayout(Layout layout) {
		Objects.requireNonNull(layout, "layout must not be null");
		return with((p) -> p.layout = layout);
	}

	/**
	 * Return a spec that deletes every entry of this dict when it is opened (sqlitedict's
	 * {@code w} flag). Other dicts in the file are untouched.
	 * @param clearOnOpen whether to clear the dict on open
	 * @return the new spec
	 */
	public DictSpec<K, V> withClearOnOpen(boolean clearOnOpen) {
		return with((p) -> p.clearOnOpen = clearOnOpen);
	}

	/**
	 * Return a spec that keeps up to {@code maxEntries} hot entries in this JVM, as
	 * stored bytes, so that repeated reads of the same keys skip SQLite. Values are
	 * decoded on each hit, so callers still get copies. Writes through the same store are
	 * seen at once; writes by another process (or another store on the same file) are
	 * seen within the store's {@link StoreOptions#nearCacheCheckInterval() check
	 * interval}, 5 ms by default.
	 * @param maxEntries the most entries to keep, or 0 for no near cache
	 * @return the new spec
	 */
	public DictSpec<K, V> withNearCache(int maxEntries) {
		if (maxEntries < 0) {
			throw new IllegalArgumentException(
					"near cache size of dict '" + this.name + "' must be 0 (off) or more, was " + maxEntries);
		}
		return with((p) -> p.nearCache = maxEntries);
	}

	/**
	 * Return a spec that keeps at most {@code maximumSize} entries: a write that takes
	 * the dict over it evicts entries in the order of the
	 * {@link #withEviction(EvictionPolicy) policy}. Both bounds may be set, and then both
	 * apply.
	 * @param maximumSize the most entries, positive, or {@code Long.MAX_VALUE} for no
	 * bound on the count (the default)
	 * @return the new spec
	 * @throws IllegalArgumentException if the bound is zero or negative
	 */
	public DictSpec<K, V> withMaximumSize(long maximumSize) {
		return with((p) -> p.maximumSize = positive("maximumSize", maximumSize));
	}

	/**
	 * Return a spec that keeps at most {@code maximumBytes} of keys and values, as stored
	 * (after the codec and compression): a write that takes the dict over it evicts
	 * entries in the order of the {@link #withEviction(EvictionPolicy) policy}. A single
	 * value larger than the bound is refused, rather than flushing the dict to make room.
	 * @param maximumBytes the most bytes, positive, or {@code Long.MAX_VALUE} for no
	 * bound on the bytes (the default)
	 * @return the new spec
	 * @throws IllegalArgumentException if the bound is zero or negative
	 */
	public DictSpec<K, V> withMaximumBytes(long maximumBytes) {
		return with((p) -> p.maximumBytes = positive("maximumBytes", maximumBytes));
	}

	/**
	 * Return a spec that evicts in the given order when a bound is reached. A policy
	 * without a bound does nothing.
	 * @param eviction the policy; {@link EvictionPolicy#LEAST_RECENTLY_STORED} by default
	 * @return the new spec
	 */
	public DictSpec<K, V> withEviction(EvictionPolicy eviction) {
		Objects.requireNonNull(eviction, "eviction must not be null");
		return with((p) -> p.eviction = eviction);
	}

	private long positive(String what, long bound) {
		if (bound <= 0) {
			throw new IllegalArgumentException(what + " of dict '" + this.name + "' must be positive, was " + bound
					+ "; leave it unset for no bound");
		}
		return bound;
	}

	/**
	 * Return the most entries this dict keeps, or {@code Long.MAX_VALUE} if the count is
	 * not bounded.
	 * @return the maximum size
	 */
	public long maximumSize() {
		return this.maximumSize;
	}

	/**
	 * Return the most bytes of keys and values, as stored, that this dict keeps, or
	 * {@code Long.MAX_VALUE} if the bytes are not bounded.
	 * @return the maximum bytes
	 */
	public long maximumBytes() {
		return this.maximumBytes;
	}

	/**
	 * Return the order in which entries are evicted when a bound is reached.
	 * @return the eviction policy
	 */
	public EvictionPolicy eviction() {
		return this.eviction;
	}

	/**
	 * Return whether either bound is set.
	 * @return whether the dict is size-bounded
	 */
	public boolean bounded() {
		return this.maximumSize != Long.MAX_VALUE || this.maximumBytes != Long.MAX_VALUE;
	}

	/**
	 * Return how many hot entries the near cache keeps, or 0 if there is none.
	 * @return the near cache size
	 */
	public int nearCache() {
		return this.nearCache;
	}

	public String name() {
		return this.name;
	}

	public String namespace() {
		return this.namespace;
	}

	/**
	 * Return the name qualified by its namespace, such as {@code map:users}.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return this.namespace + ":" + this.name;
	}

	public Class<K> keyType() {
		return this.keyType;
	}

	public Class<V> valueType() {
		return this.valueType;
	}

	public @Nullable KeyCodec<K> keyCodec() {
		return this.keyCodec;
	}

	public @Nullable Codec<V> valueCodec() {
		return this.valueCodec;
	}

	public @Nullable Duration ttl() {
		return this.ttl;
	}

	public boolean sliding() {
		return this.sliding;
	}

	public int compressionThreshold() {
		return this.compressionThreshold;
	}

	public Layout layout() {
		return this.layout;
	}

	public boolean clearOnOpen() {
		return this.clearOnOpen;
	}

	/** The mutable parts of a spec, copied by every {@code with...} method. */
	private static final class Parts<K, V> {

		String name;

		String namespace = MAP_NAMESPACE;

		final Class<K> keyType;

		final Class<V> valueType;

		@Nullable KeyCodec<K> keyCodec;

		@Nullable Codec<V> valueCodec;

		@Nullable Duration ttl;

		boolean sliding;

		int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;

		Layout layout = Layout.AUTO;

		boolean clearOnOpen;

		int nearCache;

		long maximumSize = Long.MAX_VALUE;

		long maximumBytes = Long.MAX_VALUE;

		EvictionPolicy eviction = EvictionPolicy.LEAST_RECENTLY_STORED;

		Parts(String name, Class<K> keyType, Class<V> valueType) {
			this.name = name;
			this.keyType = keyType;
			this.valueType = valueType;
		}

		Parts(DictSpec<K, V> spec) {
			this(spec.name, spec.keyType, spec.valueType);
			this.namespace = spec.namespace;
			this.keyCodec = spec.keyCodec;
			this.valueCodec = spec.valueCodec;
			this.ttl = spec.ttl;
			this.sliding = spec.sliding;
			this.compressionThreshold = spec.compressionThreshold;
			this.layout = spec.layout;
			this.clearOnOpen = spec.clearOnOpen;
			this.nearCache = spec.nearCache;
			this.maximumSize = spec.maximumSize;
			this.maximumBytes = spec.maximumBytes;
			this.eviction = spec.eviction;
		}

	}

	@Override
	public String toString() {
		return "DictSpec[" + qualifiedName() + ", " + this.keyType.getSimpleName() + " -> "
				+ this.valueType.getSimpleName() + ", ttl=" + this.ttl + ", sliding=" + this.sliding + "]";
	}

}
