package io.persistentdict;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.persistentdict.codec.KeyCodec;
import io.persistentdict.engine.Exchange;
import io.persistentdict.engine.JsonLines;
import io.persistentdict.engine.Offer;
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Take;
import io.persistentdict.engine.Upsert;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PersistentDict} over one {@link TableStore}: the writes, over the reads of
 * {@link DictReads}.
 *
 * <p>
 * Every write has one shape: check the store may write, encode, hand the work to the
 * engine's write scheduler, and after the commit (or its failure) tell the near cache
 * which keys it touched ({@link #writeKey}, {@link #writeAll}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EngineDict<K, V> extends DictReads<K, V> {

	EngineDict(EngineStore store, DictSpec<K, V> spec, TableStore table, DictEncoding<K, V> encoding,
			DictCounters counters, @Nullable NearCache near, SlidingExpiry.Dict sliding, @Nullable Bounds bounds) {
		super(store, spec, table, encoding, counters, near, sliding, bounds);
	}

	private void checkWritable() {
		this.store.checkWritable(this.name);
	}

	/**
	 * Run a write of one key, which may share its commit, then drop the key from the near
	 * cache.
	 */
	private <T> @Nullable T writeKey(Object k, Op<T> op, boolean singleStatement) {
		try {
			return this.store.writes().submit(op, singleStatement);
		}
		finally {
			written(k);
		}
	}

	/**
	 * After a write: drop what it wrote from the near cache, at once, or when the
	 * transaction it joined ends.
	 * @param k the key, or {@code null} for many keys
	 */
	private void written(@Nullable Object k) {
		Coherence coherence = this.store.coherence();
		Bounds bounds = this.bounds;
		if (bounds != null) {
			bounds.evicted(this.near);
		}
		if (this.store.joined()) {
			coherence.defer(this.name);
			return;
		}
		if (k != null) {
			coherence.written(this.name, this.near, k);
		}
		else {
			coherence.writtenAll(this.name, this.near);
		}
		coherence.flushDeferred();
	}

	/**
	 * Run a write of many keys, then clear the near cache.
	 * @param exclusive whether it runs user code or a long loop, on the caller's thread
	 */
	private <T> @Nullable T writeAll(Op<T> op, boolean exclusive) {
		try {
			return exclusive ? this.store.writes().exclusive(op) : this.store.writes().submit(op, false);
		}
		finally {
			written(null);
		}
	}

	// ---- writes of one key

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
		Object k = this.encoding.encodeKey(key);
		byte[] v = this.encoding.encodeValue(key, value);
		checkFits(k, v);
		Exchange exchange = new Exchange(this.table, k, v, expiresAt);
		// a bounded dict evicts in the transaction of the write: not a lone statement
		Row old = writeKey(k, (this.bounds == null) ? exchange : (w) -> {
			Row replaced = exchange.run(w);
			bound(w, 1);
			return replaced;
		}, false);
		byte[] previous = isLive(old) ? old.value() : null;
		this.counters.puts.increment();
		return this.encoding.decodeQuietly(k, previous);
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
		Object k = this.encoding.encodeKey(key);
		byte[] v = this.encoding.encodeValue(key, value);
		checkFits(k, v);
		Bounds bounds = this.bounds;
		// a bounded dict's write checks its bound when this JVM's writes may have used up
		// the room left at the last check; until then it takes the plain path
		if (bounds != null && !bounds.reserve(k, v)) {
			writeKey(k, (w) -> {
				this.table.upsert(w, k, v, expiresAt);
				bound(w, 1);
				return null;
			}, false);
		}
		else {
			writeKey(k, new Upsert(this.table, k, v, expiresAt), true);
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
		Object k = this.encoding.encodeKey(key);
		byte[] v = this.encoding.encodeValue(key, value);
		checkFits(k, v);
		long now = this.store.now();
		Offer offer = new Offer(this.table, k, v, expiresAt, now);
		// one row operation, which an engine may run as one statement of its own; a
		// bounded dict evicts in the transaction of the write
		Row old = writeKey(k, (this.bounds == null) ? offer : (w) -> {
			Row there = offer.run(w);
			if (there == null || !there.isLive(now)) {
				bound(w, 1);
			}
			return there;
		}, false);
		byte[] existing = (old != null && old.isLive(now)) ? old.value() : null;
		if (existing == null) {
			this.counters.puts.increment();
			return null;
		}
		return this.encoding.decode(k, existing);
	}

	@Override
	public @Nullable V remove(Object key) {
		Object k = this.encoding.encodeQueryKey(key);
		checkWritable();
		if (k == null) {
			return null;
		}
		Row old = writeKey(k, new Take(this.table, k), false);
		byte[] previous = isLive(old) ? old.value() : null;
		if (previous == null) {
			return null;
		}
		this.counters.removals.increment();
		return this.encoding.decodeQuietly(k, previous);
	}

	@Override
	public boolean remove(Object key, @Nullable Object value) {
		Object k = this.encoding.encodeQueryKey(key);
		checkWritable();
		if (k == null || value == null) {
			return false;
		}
		Boolean removed = writeKey(k, (w) -> {
			Row old = this.table.get(w, k);
			if (!isLive(old) || !value.equals(this.encoding.decode(k, old.value()))) {
				return false;
			}
			this.table.delete(w, k);
			return true;
		}, false);
		return counted(removed, this.counters.removals);
	}

	@Override
	public @Nullable V replace(K key, V value) {
		checkWritable();
		Object k = this.encoding.encodeKey(key);
		byte[] v = this.encoding.encodeValue(key, value);
		long expiresAt = expiry(null);
		checkFits(k, v);
		byte[] previous = writeKey(k, (w) -> {
			Row old = this.table.get(w, k);
			if (!isLive(old)) {
				return null;
			}
			this.table.upsert(w, k, v, expiresAt);
			bound(w, 1);
			return old.value();
		}, false);
		if (previous == null) {
			return null;
		}
		this.counters.puts.increment();
		return this.encoding.decodeQuietly(k, previous);
	}

	@Override
	public boolean replace(K key, V oldValue, V newValue) {
		checkWritable();
		Object k = this.encoding.encodeKey(key);
		Objects.requireNonNull(oldValue, "oldValue must not be null");
		byte[] v = this.encoding.encodeValue(key, newValue);
		long expiresAt = expiry(null);
		checkFits(k, v);
		Boolean replaced = writeKey(k, (w) -> {
			Row old = this.table.get(w, k);
			if (!isLive(old) || !oldValue.equals(this.encoding.decode(k, old.value()))) {
				return false;
			}
			this.table.upsert(w, k, v, expiresAt);
			bound(w, 1);
			return true;
		}, false);
		return counted(replaced, this.counters.puts);
	}

	private static boolean counted(@Nullable Boolean done, LongAdder counter) {
		if (Boolean.TRUE.equals(done)) {
			counter.increment();
			return true;
		}
		return false;
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
		Object k = this.encoding.encodeKey(key);
		Integer changed = writeKey(k, (w) -> this.table.touch(w, k, expiresAt, this.store.now()), false);
		return changed != null && changed > 0;
	}

	// ---- functional writes

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
		Object k = this.encoding.encodeKey(key);
		try {
			return this.store.writes().exclusive((w) -> {
				Row row = this.table.get(w, k);
				V old = isLive(row) ? this.encoding.decode(k, row.value()) : null;
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
				byte[] v = this.encoding.encodeValue(key, updated);
				checkFits(k, v);
				this.table.upsert(w, k, v, expiry(null));
				bound(w, 1);
				this.counters.puts.increment();
				return updated;
			});
		}
		finally {
			written(k);
		}
	}

	@Override
	public void batch(Consumer<Batch<K, V>> operations) {
		Objects.requireNonNull(operations, "operations must not be null");
		checkWritable();
		writeAll((w) -> {
			operations.accept(new DictBatch<>(this, w));
			bound(w, Integer.MAX_VALUE);
			return null;
		}, true);
	}

	// ---- writes of many keys

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
		Iterable<WriteOrder.Keyed<K, V>> rows = WriteOrder.of(entries, this.encoding);
		writeAll((w) -> {
			Upserts upserts = new Upserts(this.table, w, entries.size());
			for (WriteOrder.Keyed<K, V> row : rows) {
				byte[] v = this.encoding.encodeValue(row.key(), row.value());
				checkFits(row.stored(), v);
				upserts.add(row.stored(), v, expiresAt);
			}
			upserts.finish();
			bound(w, entries.size());
			return null;
		}, true);
		this.counters.puts.add(entries.size());
	}

	@Override
	public int removeAll(Iterable<? extends K> keys) {
		Objects.requireNonNull(keys, "keys must not be null");
		checkWritable();
		Integer removed = writeAll((w) -> {
			long now = this.store.now();
			int count = 0;
			for (K key : keys) {
				Object k = this.encoding.encodeKey(key);
				Row row = this.table.get(w, k);
				if (row != null) {
					this.table.delete(w, k);
					count += row.isLive(now) ? 1 : 0;
				}
			}
			return count;
		}, true);
		int count = (removed != null) ? removed : 0;
		this.counters.removals.add(count);
		return count;
	}

	@Override
	public void clear() {
		checkWritable();
		writeAll((w) -> {
			this.table.clear(w);
			return null;
		}, false);
	}

	@Override
	public long restampAll() {
		checkWritable();
		long expiresAt = expiry(null);
		Long changed = writeAll((w) -> this.table.restamp(w, expiresAt, this.store.now()), false);
		return (changed != null) ? changed : 0;
	}

	@Override
	public long sweep() {
		return this.store.sweep(this.table);
	}

	@Override
	public long importFrom(Path file) {
		checkWritable();
		Long count = writeAll((w) -> {
			Upserts upserts = new Upserts(this.table, w, JsonLines.estimatedEntries(file));
			long imported = JsonLines.importInto(file, this.store.now(), this.encoding.importTarget(),
					(key, value, expiresAt) -> {
						this.encoding.checkImported(key, value);
						checkFits(key, value);
						upserts.add(key, value, expiresAt);
					});
			upserts.finish();
			bound(w, (int) Math.min(imported, Integer.MAX_VALUE));
			return imported;
		}, true);
		return (count != null) ? count : 0;
	}

	@Override
	public long exportTo(Path file) {
		return JsonLines.export(this.encoding.where(), (after) -> page(after, null, null, DictViews.PAGE, false, true),
				file);
	}

	/** Write one row inside a batch's transaction, counted as a put. */
	void batchPut(Session writer, K key, V value, @Nullable Duration ttl) throws SQLException {
		long expiresAt = expiry(ttl);
		Object k = this.encoding.encodeKey(key);
		byte[] v = this.encoding.encodeValue(key, value);
		checkFits(k, v);
		this.table.upsert(writer, k, v, expiresAt);
		this.counters.puts.increment();
	}

}
