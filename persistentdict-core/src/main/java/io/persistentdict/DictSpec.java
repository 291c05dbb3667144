package io.persistentdict;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import io.persistentdict.codec.Codec;
import io.persistentdict.codec.KeyCodec;
import org.jspecify.annotations.Nullable;

/**
 * Immutable description of a dict: its name, types, codecs and expiry policy. Every
 * {@code with...} method returns a new spec.
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

	private DictSpec(String name, String namespace, Class<K> keyType, Class<V> valueType,
			@Nullable KeyCodec<K> keyCodec, @Nullable Codec<V> valueCodec, @Nullable Duration ttl, boolean sliding,
			int compressionThreshold, Layout layout, boolean clearOnOpen, int nearCache) {
		this.name = name;
		this.namespace = namespace;
		this.keyType = keyType;
		this.valueType = valueType;
		this.keyCodec = keyCodec;
		this.valueCodec = valueCodec;
		this.ttl = ttl;
		this.sliding = sliding;
		this.compressionThreshold = compressionThreshold;
		this.layout = layout;
		this.clearOnOpen = clearOnOpen;
		this.nearCache = nearCache;
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
		return new DictSpec<>(validateName(name), MAP_NAMESPACE,
				Objects.requireNonNull(keyType, "keyType must not be null"),
				Objects.requireNonNull(valueType, "valueType must not be null"), null, null, null, false,
				DEFAULT_COMPRESSION_THRESHOLD, Layout.AUTO, false, 0);
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
		return new DictSpec<>(this.name, namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, this.sliding, this.compressionThreshold, this.layout, this.clearOnOpen, this.nearCache);
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
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				ttl, this.sliding, this.compressionThreshold, this.layout, this.clearOnOpen, this.nearCache);
	}

	/**
	 * Return a spec whose reads extend an entry's life (expire after access). Needs a
	 * TTL. The extension is approximate: a read refreshes the expiry only when less than
	 * half the TTL remains, and refreshes are written in the background, coalesced.
	 * @param sliding whether reads extend the expiry
	 * @return the new spec
	 */
	public DictSpec<K, V> withSliding(boolean sliding) {
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, sliding, this.compressionThreshold, this.layout, this.clearOnOpen, this.nearCache);
	}

	public DictSpec<K, V> withCodec(Codec<V> valueCodec) {
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec,
				Objects.requireNonNull(valueCodec, "valueCodec must not be null"), this.ttl, this.sliding,
				this.compressionThreshold, this.layout, this.clearOnOpen, this.nearCache);
	}

	public DictSpec<K, V> withKeyCodec(KeyCodec<K> keyCodec) {
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType,
				Objects.requireNonNull(keyCodec, "keyCodec must not be null"), this.valueCodec, this.ttl, this.sliding,
				this.compressionThreshold, this.layout, this.clearOnOpen, this.nearCache);
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
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, this.sliding, threshold, this.layout, this.clearOnOpen, this.nearCache);
	}

	public DictSpec<K, V> withLayout(Layout layout) {
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, this.sliding, this.compressionThreshold,
				Objects.requireNonNull(layout, "layout must not be null"), this.clearOnOpen, this.nearCache);
	}

	/**
	 * Return a spec that deletes every entry of this dict when it is opened (sqlitedict's
	 * {@code w} flag). Other dicts in the file are untouched.
	 * @param clearOnOpen whether to clear the dict on open
	 * @return the new spec
	 */
	public DictSpec<K, V> withClearOnOpen(boolean clearOnOpen) {
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, this.sliding, this.compressionThreshold, this.layout, clearOnOpen, this.nearCache);
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
		return new DictSpec<>(this.name, this.namespace, this.keyType, this.valueType, this.keyCodec, this.valueCodec,
				this.ttl, this.sliding, this.compressionThreshold, this.layout, this.clearOnOpen, maxEntries);
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

	@Override
	public String toString() {
		return "DictSpec[" + qualifiedName() + ", " + this.keyType.getSimpleName() + " -> "
				+ this.valueType.getSimpleName() + ", ttl=" + this.ttl + ", sliding=" + this.sliding + "]";
	}

}
