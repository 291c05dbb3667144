package io.persistentdict;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.persistentdict.Table.Row;
import io.persistentdict.codec.Codec;
import io.persistentdict.codec.CodecException;
import io.persistentdict.codec.KeyCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PersistentDict} over one {@link Table}: key and value codecs, compression,
 * TTL policy and counters. Equality, hash code and string form come from
 * {@link AbstractMap}, over the live entry set.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class SqliteDict<K, V> extends AbstractMap<K, V> implements PersistentDict<K, V> {

	private static final Logger logger = LoggerFactory.getLogger(SqliteDict.class);

	private final SqliteStore store;

	private final DictSpec<K, V> spec;

	private final String name;

	private final Table table;

	private final KeyCodec<K> keyCodec;

	private final Codec<V> valueCodec;

	private final int tag;

	private final DictCounters counters;

	private final long ttlMillis;

	/** Sliding refreshes waiting for the next write transaction, by encoded key. */
	private final ConcurrentHashMap<Object, Touch> touches = new ConcurrentHashMap<>();

	private final DictViews<K, V> views;

	private final Object identity = new Object();

	private final @Nullable NearCache near;

	SqliteDict(SqliteStore store, DictSpec<K, V> spec, Table table, KeyCodec<K> keyCodec, Codec<V> valueCodec,
			DictCounters counters, @Nullable NearCache near) {
		this.near = near;
		this.store = store;
		this.spec = spec;
		this.name = spec.qualifiedName();
		this.table = table;
		this.keyCodec = keyCodec;
		this.valueCodec = valueCodec;
		this.tag = ValueFormat.tagOf(valueCodec.id());
		this.counters = counters;
		this.ttlMillis = (spec.ttl() != null) ? spec.ttl().toMillis() : 0;
		this.views = new DictViews<>(this);
	}

	// ---- encoding

	Object encodeKey(K key) {
		Objects.requireNonNull(key, "key must not be null");
		return this.keyCodec.encode(key);
	}

	/**
	 * Return the encoded key, or {@code null} if {@code key} cannot be a key of this
	 * dict.
	 */
	@Nullable Object encodeQueryKey(Object key) {
		Objects.requireNonNull(key, "key must not be null");
		if (!this.spec.keyType().isInstance(key)) {
			return null;
		}
		return this.keyCodec.encode(this.spec.keyType().cast(key));
	}

	K decodeKey(Object stored) {
		return this.keyCodec.decode(stored);
	}

	private byte[] encodeValue(Object key, V value) {
		Objects.requireNonNull(value, "value must not be null");
		byte[] payload;
		try {
			payload = this.valueCodec.encode(value);
		}
		catch (RuntimeException ex) {
			boolean safe = ex instanceof CodecException;
			String reason = safe ? ex.getMessage() : ex.getClass().getName()
					+ " from the value codec (its message is withheld: it may quote the value)";
			throw new PersistentDictException("Value for key " + Strings.key(key) + " in dict '" + this.name
					+ "' of store " + this.store.errors().location() + " could not be encoded: " + reason,
					safe ? ex : null);
		}
		return ValueFormat.write(payload, this.tag, this.spec.compressionThreshold());
	}

	V decode(Object storedKey, byte[] stored) {
		try {
			int rowTag = ValueFormat.tag(stored);
			byte[] payload = ValueFormat.payload(stored);
			Codec<V> codec = this.valueCodec;
			if (rowTag != this.tag && rowTag != ValueFormat.CUSTOM) {
				// written under an earlier codec setting: read it with the codec that
				// wrote it
				codec = Codec.named(ValueFormat.codecIdOf(rowTag), this.spec.valueType(),
						this.store.options().allowedTypes(), this.store.options().classLoader());
			}
			V value = codec.decode(payload);
			if (value == null) {
				throw new IllegalArgumentException("codec " + codec.id() + " decoded null");
			}
			return value;
		}
		catch (RuntimeException ex) {
			// a library's own message often quotes the bytes it could not read: show only
			// messages that are known to be free of values
			boolean safe = ex instanceof CodecException;
			String reason = safe ? ex.getMessage() : ex.getClass().getName()
					+ " from the value codec (its message is withheld: it may quote the value)";
			throw new ValueDecodingException("Value of key " + Strings.key(storedKey) + " in dict '" + this.name
					+ "' of store " + this.store.errors().location() + " could not be decoded: " + reason
					+ ". Other keys are unaffected; overwrite or remove this key", safe ? ex : null);
		}
	}

	private long expiry(@Nullable Duration ttl) {
		if (ttl == null) {
			return (this.ttlMillis == 0) ? 0 : this.store.now() + this.ttlMillis;
		}
		checkTtl(ttl);
		return this.store.now() + ttl.toMillis();
	}

	private void checkTtl(Duration ttl) {
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl for dict '" + this.name + "' must be positive, was " + ttl);
		}
	}

	private void checkWritable() {
		this.store.checkWritable(this.name);
	}

	private <T> @Nullable T read(SqliteStore.ReadOp<T> op) {
		return this.store.read(op, this.name);
	}

	private @Nullable V decodeQuietly(Object key, byte @Nullable [] stored) {
		if (stored == null) {
			return null;
		}
		try {
			return decode(key, stored);
		}
		catch (ValueDecodingException ex) {
			logger.warn("Previous value of key {} in dict '{}' could not be decoded; it was replaced", Strings.key(key),
					this.name);
			return null;
		}
	}

	// ---- reads

	@Override
	public @Nullable V get(Object key) {
		Object k = encodeQueryKey(key);
		if (k == null) {
			this.counters.misses.increment();
			return null;
		}
		Row row = (this.near != null) ? readThroughNearCache(k) : read((c) -> this.table.get(c, k));
		if (row == null) {
			this.counters.misses.increment();
			return null;
		}
		long expiresAt = row.expiresAt();
		if (expiresAt != 0) {
			// the clock is read only for rows that can expire
			long now = this.store.now();
			if (expiresAt <= now) {
				this.counters.misses.increment();
				return null;
			}
			if (this.spec.sliding() && this.ttlMillis > 0) {
				touch(k, expiresAt, now);
			}
		}
		this.counters.hits.increment();
		return decode(k, row.value());
	}

	private @Nullable Row readThroughNearCache(Object k) {
		NearCache cache = this.near;
		// a hit must fail as a read would: on a closed store, or from inside a compute
		// function
		this.store.checkUsable();
		this.store.checkExternalChanges();
		Row cached = cache.get(k);
		if (cached != null && (cached.expiresAt() == 0 || cached.isLive(this.store.now()))) {
			this.counters.nearHits.increment();
			return cached;
		}
		long epoch = cache.epoch();
		Row row = read((c) -> this.table.get(c, k));
		if (row != null && this.store.nearCachesReady()) {
			cache.offer(k, row, epoch);
		}
		return row;
	}

	/**
	 * After a committed write of one key: drop it from the dict's near cache, which other
	 * handles on the same dict may read through even when this one does not.
	 */
	private void written(Object k) {
		NearCache cache = (this.near != null) ? this.near : this.store.existingNearCache(this.name);
		if (cache != null) {
			cache.invalidate(k);
		}
	}

	/** After a committed write of many keys. */
	private void writtenAll() {
		NearCache cache = (this.near != null) ? this.near : this.store.existingNearCache(this.name);
		if (cache != null) {
			cache.clear();
		}
	}

	@Override
	public boolean containsKey(Object key) {
		Object k = encodeQueryKey(key);
		if (k == null) {
			return false;
		}
		Row row = read((c) -> this.table.get(c, k));
		return row != null && row.isLive(this.store.now());
	}

	@Override
	public boolean containsValue(Object value) {
		Objects.requireNonNull(value, "value must not be null");
		for (V candidate : values()) {
			if (value.equals(candidate)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int size() {
		return (int) Math.min(mappingCount(), Integer.MAX_VALUE);
	}

	@Override
	public long mappingCount() {
		long now = this.store.now();
		Long count = read((c) -> this.table.count(c, now));
		long live = (count != null) ? count : 0;
		this.counters.entries = live;
		return live;
	}

	@Override
	public boolean isEmpty() {
		long now = this.store.now();
		return Boolean.TRUE.equals(read((c) -> this.table.isEmpty(c, now)));
	}

	@Override
	public Optional<Instant> expiresAt(K key) {
		Object k = encodeKey(key);
		Row row = read((c) -> this.table.get(c, k));
		if (row == null || !row.isLive(this.store.now()) || row.expiresAt() == 0) {
			return Optional.empty();
		}
		return Optional.of(Instant.ofEpochMilli(row.expiresAt()));
	}

	// ---- writes

	@Override
	public @Nullable V put(K key, V value) {
		return put(key, value, expiry(null));
	}

	@Override
	public @Nullable V put(K key, V value, Duration ttl) {
		checkTtl(ttl);
		return put(key, value, expiry(ttl));
	}

	private @Nullable V put(K key, V value, long expiresAt) {
		checkWritable();
		Object k = encodeKey(key);
		byte[] v = encodeValue(key, value);
		byte[] previous;
		try {
			previous = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				this.table.upsert(w, k, v, expiresAt);
				return (old != null && old.isLive(this.store.now())) ? old.value() : null;
			});
		}
		finally {
			written(k);
		}
		this.counters.puts.increment();
		return decodeQuietly(k, previous);
	}

	@Override
	public void set(K key, V value) {
		set(key, value, expiry(null));
	}

	@Override
	public void set(K key, V value, Duration ttl) {
		checkTtl(ttl);
		set(key, value, expiry(ttl));
	}

	private void set(K key, V value, long expiresAt) {
		checkWritable();
		Object k = encodeKey(key);
		byte[] v = encodeValue(key, value);
		try {
			this.store.writes().submit(this.table.upsertOp(k, v, expiresAt), true);
		}
		finally {
			written(k);
		}
		this.counters.puts.increment();
	}

	@Override
	public @Nullable V putIfAbsent(K key, V value) {
		return putIfAbsent(key, value, expiry(null));
	}

	@Override
	public @Nullable V putIfAbsent(K key, V value, Duration ttl) {
		checkTtl(ttl);
		return putIfAbsent(key, value, expiry(ttl));
	}

	private @Nullable V putIfAbsent(K key, V value, long expiresAt) {
		checkWritable();
		Object k = encodeKey(key);
		byte[] v = encodeValue(key, value);
		byte[] existing;
		try {
			existing = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				if (old != null && old.isLive(this.store.now())) {
					return old.value();
				}
				this.table.upsert(w, k, v, expiresAt);
				return null;
			});
		}
		finally {
			written(k);
		}
		if (existing == null) {
			this.counters.puts.increment();
			return null;
		}
		return decode(k, existing);
	}

	@Override
	public @Nullable V remove(Object key) {
		Object k = encodeQueryKey(key);
		checkWritable();
		if (k == null) {
			return null;
		}
		byte[] previous;
		try {
			previous = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				if (old == null) {
					return null;
				}
				this.table.delete(w, k);
				return old.isLive(this.store.now()) ? old.value() : null;
			});
		}
		finally {
			written(k);
		}
		if (previous == null) {
			return null;
		}
		this.counters.removals.increment();
		return decodeQuietly(k, previous);
	}

	@Override
	public boolean remove(Object key, @Nullable Object value) {
		Object k = encodeQueryKey(key);
		checkWritable();
		if (k == null || value == null) {
			return false;
		}
		Boolean removed;
		try {
			removed = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				if (old == null || !old.isLive(this.store.now()) || !value.equals(decode(k, old.value()))) {
					return false;
				}
				this.table.delete(w, k);
				return true;
			});
		}
		finally {
			written(k);
		}
		if (Boolean.TRUE.equals(removed)) {
			this.counters.removals.increment();
			return true;
		}
		return false;
	}

	@Override
	public @Nullable V replace(K key, V value) {
		checkWritable();
		Object k = encodeKey(key);
		byte[] v = encodeValue(key, value);
		long expiresAt = expiry(null);
		byte[] previous;
		try {
			previous = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				if (old == null || !old.isLive(this.store.now())) {
					return null;
				}
				this.table.upsert(w, k, v, expiresAt);
				return old.value();
			});
		}
		finally {
			written(k);
		}
		if (previous == null) {
			return null;
		}
		this.counters.puts.increment();
		return decodeQuietly(k, previous);
	}

	@Override
	public boolean replace(K key, V oldValue, V newValue) {
		checkWritable();
		Object k = encodeKey(key);
		Objects.requireNonNull(oldValue, "oldValue must not be null");
		byte[] v = encodeValue(key, newValue);
		long expiresAt = expiry(null);
		Boolean replaced;
		try {
			replaced = this.store.writes().submit((w) -> {
				Row old = this.table.get(w, k);
				if (old == null || !old.isLive(this.store.now()) || !oldValue.equals(decode(k, old.value()))) {
					return false;
				}
				this.table.upsert(w, k, v, expiresAt);
				return true;
			});
		}
		finally {
			written(k);
		}
		if (Boolean.TRUE.equals(replaced)) {
			this.counters.puts.increment();
			return true;
		}
		return false;
	}

	@Override
	public @Nullable V computeIfAbsent(K key, Function<? super K, ? extends @Nullable V> mappingFunction) {
		Objects.requireNonNull(mappingFunction, "mappingFunction must not be null");
		V existing = get(key);
		if (existing != null) {
			return existing;
		}
		return update(key, (old) -> (old != null) ? old : mappingFunction.apply(key), true);
	}

	@Override
	public @Nullable V computeIfPresent(K key,
			BiFunction<? super K, ? super V, ? extends @Nullable V> remappingFunction) {
		Objects.requireNonNull(remappingFunction, "remappingFunction must not be null");
		return update(key, (old) -> (old != null) ? remappingFunction.apply(key, old) : null, false);
	}

	@Override
	public @Nullable V compute(K key,
			BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remappingFunction) {
		Objects.requireNonNull(remappingFunction, "remappingFunction must not be null");
		return update(key, (old) -> remappingFunction.apply(key, old), false);
	}

	@Override
	public @Nullable V merge(K key, V value,
			BiFunction<? super V, ? super V, ? extends @Nullable V> remappingFunction) {
		Objects.requireNonNull(value, "value must not be null");
		Objects.requireNonNull(remappingFunction, "remappingFunction must not be null");
		return update(key, (old) -> (old != null) ? remappingFunction.apply(old, value) : value, false);
	}

	/**
	 * Read, apply and write one key in its own transaction, on the caller's thread, with
	 * the write lock held.
	 * @param keepPresent whether a present value is returned unchanged (computeIfAbsent)
	 */
	private @Nullable V update(K key, Function<@Nullable V, ? extends @Nullable V> function, boolean keepPresent) {
		checkWritable();
		Object k = encodeKey(key);
		try {
			return this.store.writes().exclusive((w) -> {
				Row row = this.table.get(w, k);
				V old = (row != null && row.isLive(this.store.now())) ? decode(k, row.value()) : null;
				if (keepPresent && old != null) {
					return old;
				}
				V updated = function.apply(old);
				if (updated == null) {
					if (old != null) {
						this.table.delete(w, k);
						this.counters.removals.increment();
					}
					return null;
				}
				// written even when the function returns the old value itself: it
				// may have changed that copy in place
				this.table.upsert(w, k, encodeValue(key, updated), expiry(null));
				this.counters.puts.increment();
				return updated;
			});
		}
		finally {
			written(k);
		}
	}

	@Override
	public void putAll(Map<? extends K, ? extends V> entries) {
		putAll(entries, null);
	}

	@Override
	public void putAll(Map<? extends K, ? extends V> entries, @Nullable Duration ttl) {
		Objects.requireNonNull(entries, "entries must not be null");
		checkWritable();
		long expiresAt = expiry(ttl);
		entries.forEach((key, value) -> {
			Objects.requireNonNull(key, "key must not be null");
			Objects.requireNonNull(value, "value must not be null");
		});
		if (entries.isEmpty()) {
			return;
		}
		Iterable<KeyedEntry<K, V>> rows = inWriteOrder(entries);
		try {
			this.store.writes().exclusive((w) -> {
				Table.Upserts upserts = this.table.upserts(w);
				for (KeyedEntry<K, V> row : rows) {
					upserts.add(row.stored(), encodeValue(row.key(), row.value()), expiresAt);
				}
				upserts.finish();
				return null;
			});
		}
		finally {
			writtenAll();
		}
		this.counters.puts.add(entries.size());
	}

	/**
	 * The fewest entries worth sorting: below this, the key index's pages stay cached
	 * whatever the order.
	 */
	private static final int SORT_AT = 64;

	/**
	 * Return the entries with their stored keys, in the order to write them: a map that
	 * has no order of its own sorted by stored key, any other in its own order (which a
	 * {@code ROWID} dict iterates in). Rows put in key order land on the key index's
	 * pages one after another instead of all over it: one million random keys in batches
	 * of 100,000 took 8.0-8.7 µs a row in their map's order and 2.8-3.0 µs sorted (raw
	 * sqlite-jdbc, 32 rows a statement, 2 MB page cache).
	 */
	private Iterable<KeyedEntry<K, V>> inWriteOrder(Map<? extends K, ? extends V> entries) {
		if (entries.size() < SORT_AT || entries instanceof java.util.SortedMap
				|| entries instanceof java.util.LinkedHashMap) {
			return () -> entries.entrySet().stream().map(this::keyed).iterator();
		}
		java.util.List<KeyedEntry<K, V>> sorted = new java.util.ArrayList<>(entries.size());
		for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
			sorted.add(keyed(entry));
		}
		sorted.sort((a, b) -> compareStored(a.stored(), b.stored()));
		return sorted;
	}

	private KeyedEntry<K, V> keyed(Map.Entry<? extends K, ? extends V> entry) {
		return new KeyedEntry<>(encodeKey(entry.getKey()), entry.getKey(), entry.getValue());
	}

	/** Order stored keys about as SQLite does: the order only needs to be consistent. */
	private static int compareStored(Object a, Object b) {
		if (a instanceof String x && b instanceof String y) {
			return x.compareTo(y);
		}
		if (a instanceof Long x && b instanceof Long y) {
			return Long.compare(x, y);
		}
		if (a instanceof byte[] x && b instanceof byte[] y) {
			return java.util.Arrays.compareUnsigned(x, y);
		}
		return a.getClass().getName().compareTo(b.getClass().getName());
	}

	/**
	 * An entry with its stored key.
	 *
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param stored the encoded key
	 * @param key the key
	 * @param value the value
	 */
	private record KeyedEntry<K, V>(Object stored, K key, V value) {
	}

	@Override
	public int removeAll(Iterable<? extends K> keys) {
		Objects.requireNonNull(keys, "keys must not be null");
		checkWritable();
		Integer removed;
		try {
			removed = this.store.writes().exclusive((w) -> {
				long now = this.store.now();
				int count = 0;
				for (K key : keys) {
					Object k = encodeKey(key);
					Row row = this.table.get(w, k);
					if (row != null) {
						this.table.delete(w, k);
						count += row.isLive(now) ? 1 : 0;
					}
				}
				return count;
			});
		}
		finally {
			writtenAll();
		}
		int count = (removed != null) ? removed : 0;
		this.counters.removals.add(count);
		return count;
	}

	@Override
	public void clear() {
		checkWritable();
		try {
			this.store.writes().submit((w) -> {
				this.table.clear(w);
				return null;
			});
		}
		finally {
			writtenAll();
		}
	}

	@Override
	public void batch(Consumer<Batch<K, V>> operations) {
		Objects.requireNonNull(operations, "operations must not be null");
		checkWritable();
		try {
			this.store.writes().exclusive((w) -> {
				operations.accept(new WriteBatch(w));
				return null;
			});
		}
		finally {
			writtenAll();
		}
	}

	@Override
	public boolean expire(K key, Duration ttl) {
		checkTtl(ttl);
		return touchNow(key, this.store.now() + ttl.toMillis());
	}

	@Override
	public boolean persist(K key) {
		return touchNow(key, 0);
	}

	private boolean touchNow(K key, long expiresAt) {
		checkWritable();
		Object k = encodeKey(key);
		Integer changed;
		try {
			changed = this.store.writes().submit((w) -> this.table.touch(w, k, expiresAt, this.store.now()));
		}
		finally {
			written(k);
		}
		return changed != null && changed > 0;
	}

	@Override
	public long restampAll() {
		checkWritable();
		long expiresAt = expiry(null);
		Long changed;
		try {
			changed = this.store.writes().submit((w) -> this.table.restamp(w, expiresAt, this.store.now()));
		}
		finally {
			writtenAll();
		}
		return (changed != null) ? changed : 0;
	}

	@Override
	public long sweep() {
		return this.store.sweep(this.table, this.name);
	}

	// ---- sliding expiry

	private void touch(Object key, long expiresAt, long now) {
		if (expiresAt != 0 && expiresAt - now < this.ttlMillis / 2) {
			this.touches.put(key, new Touch(expiresAt, now + this.ttlMillis));
			this.store.touched(this);
		}
	}

	/** Write the pending sliding refreshes; runs inside a write transaction. */
	void flushTouches(ConnState writer) {
		long now = this.store.now();
		for (Map.Entry<Object, Touch> entry : this.touches.entrySet()) {
			Touch touch = entry.getValue();
			if (this.touches.remove(entry.getKey(), touch)) {
				try {
					this.table.refresh(writer, entry.getKey(), touch.seen(), touch.next(), now);
				}
				catch (java.sql.SQLException ex) {
					logger.debug("Sliding refresh of a key in dict '{}' failed; it keeps its old expiry", this.name,
							ex);
				}
			}
		}
	}

	// ---- views and queries

	@Override
	public Set<K> keySet() {
		return this.views.keySet();
	}

	@Override
	public Collection<V> values() {
		return this.views.values();
	}

	@Override
	public Set<Map.Entry<K, V>> entrySet() {
		return this.views.entrySet();
	}

	@Override
	public Stream<Map.Entry<K, V>> prefix(String prefix) {
		Objects.requireNonNull(prefix, "prefix must not be null");
		if (prefix.isEmpty()) {
			return range(null, null);
		}
		// refuses an unpaired surrogate, which UTF-8 text cannot hold
		KeyCodec.string().encode(prefix);
		return this.views.entries(prefix, DictViews.successor(prefix));
	}

	@Override
	public Stream<Map.Entry<K, V>> range(@Nullable K from, @Nullable K to) {
		return this.views.entries((from != null) ? encodeKey(from) : null, (to != null) ? encodeKey(to) : null);
	}

	/** Read one page of live rows (see {@link Table#page}). */
	Table.Page page(@Nullable Object after, @Nullable Object from, @Nullable Object to, int limit, boolean keyOrder,
			boolean withExpiry) {
		long now = this.store.now();
		Table.Page page = read((c) -> this.table.page(c, after, from, to, now, limit, keyOrder, withExpiry));
		return (page != null) ? page : Table.Page.EMPTY;
	}

	/** Remove by encoded key, for iterators. */
	void removeStored(Object storedKey) {
		remove(decodeKey(storedKey));
	}

	@Override
	public DictStats stats() {
		return this.counters.snapshot(this.name, mappingCount());
	}

	@Override
	public long exportTo(Path file) {
		return JsonLines.export(this, file);
	}

	@Override
	public long importFrom(Path file) {
		checkWritable();
		Long count;
		try {
			count = this.store.writes().exclusive((w) -> {
				Table.Upserts upserts = this.table.upserts(w);
				long imported = JsonLines.importInto(file, this.store.now(), (key, value, expiresAt) -> {
					checkImported(key, value);
					upserts.add(key, value, expiresAt);
				}, this.name);
				upserts.finish();
				return imported;
			});
		}
		finally {
			writtenAll();
		}
		return (count != null) ? count : 0;
	}

	/**
	 * Check that an imported row is one this dict could have written: its key decodes to
	 * the key type and encodes back to the same stored key, and its value decodes.
	 * @throws IllegalArgumentException if not, saying why
	 */
	private void checkImported(Object storedKey, byte[] stored) {
		Object again;
		try {
			again = encodeKey(decodeKey(storedKey));
		}
		catch (RuntimeException ex) {
			again = null;
		}
		boolean same = (again instanceof byte[] bytes && storedKey instanceof byte[] original)
				? java.util.Arrays.equals(bytes, original) : storedKey.equals(again);
		if (!same) {
			throw new IllegalArgumentException("its key is not a " + this.spec.keyType().getSimpleName()
					+ " key of this dict: was the file exported from a dict with another key type?");
		}
		try {
			decode(storedKey, stored);
		}
		catch (ValueDecodingException ex) {
			throw new IllegalArgumentException("its value is not a " + this.spec.valueType().getSimpleName()
					+ " this dict can read: was the file exported from a dict with another value type?", ex);
		}
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	String qualifiedName() {
		return this.name;
	}

	/**
	 * A key for identity-based collections: {@link #hashCode()} reads the whole table.
	 */
	Object identity() {
		return this.identity;
	}

	@Override
	public DictSpec<K, V> spec() {
		return this.spec;
	}

	@Override
	public DictStore store() {
		return this.store;
	}

	/**
	 * The operations of {@link #batch}, run inside its transaction.
	 */
	private final class WriteBatch implements Batch<K, V> {

		private final ConnState writer;

		WriteBatch(ConnState writer) {
			this.writer = writer;
		}

		@Override
		public @Nullable V get(K key) {
			Object k = encodeKey(key);
			try {
				Row row = SqliteDict.this.table.get(this.writer, k);
				return (row != null && row.isLive(SqliteDict.this.store.now())) ? decode(k, row.value()) : null;
			}
			catch (java.sql.SQLException ex) {
				throw SqliteDict.this.store.errors().translate(ex, "batch read", SqliteDict.this.name);
			}
		}

		@Override
		public void put(K key, V value) {
			write(key, value, expiry(null));
		}

		@Override
		public void put(K key, V value, Duration ttl) {
			checkTtl(ttl);
			write(key, value, expiry(ttl));
		}

		private void write(K key, V value, long expiresAt) {
			try {
				SqliteDict.this.table.upsert(this.writer, encodeKey(key), encodeValue(key, value), expiresAt);
				SqliteDict.this.counters.puts.increment();
			}
			catch (java.sql.SQLException ex) {
				throw SqliteDict.this.store.errors().translate(ex, "batch write", SqliteDict.this.name);
			}
		}

		@Override
		public boolean remove(K key) {
			Object k = encodeKey(key);
			try {
				Row row = SqliteDict.this.table.get(this.writer, k);
				if (row == null) {
					return false;
				}
				SqliteDict.this.table.delete(this.writer, k);
				return row.isLive(SqliteDict.this.store.now());
			}
			catch (java.sql.SQLException ex) {
				throw SqliteDict.this.store.errors().translate(ex, "batch remove", SqliteDict.this.name);
			}
		}

	}

	/**
	 * A sliding refresh: the expiry a read saw, and the one to move it to.
	 *
	 * @param seen the expiry the read saw
	 * @param next the new expiry
	 */
	private record Touch(long seen, long next) {
	}

}
