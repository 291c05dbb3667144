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
import io.persistentdict.engine.Op;
import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import io.persistentdict.engine.Session;
import io.persistentdict.engine.TableStore;
import io.persistentdict.engine.Totals;
import io.persistentdict.engine.Upsert;
import org.jspecify.annotations.Nullable;

/**
 * The read side of an engine-neutral dict: its state, its reads, views, queries and stats
 * over one {@link TableStore}. {@link EngineDict} adds the writes. Equality, hash code
 * and string form come from {@link AbstractMap}, over the live entry set.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
abstract class DictReads<K, V> extends AbstractMap<K, V> implements PersistentDict<K, V> {

	final EngineStore store;

	final DictSpec<K, V> spec;

	final String name;

	final TableStore table;

	final DictEncoding<K, V> encoding;

	final DictCounters counters;

	final long ttlMillis;

	final SlidingExpiry.Dict sliding;

	final DictViews<K, V> views;

	final @Nullable NearCache near;

	/** The dict's bounds, or {@code null} for an unbounded dict, which pays for none. */
	final @Nullable Bounds bounds;

	DictReads(EngineStore store, DictSpec<K, V> spec, TableStore table, DictEncoding<K, V> encoding,
			DictCounters counters, @Nullable NearCache near, SlidingExpiry.Dict sliding, @Nullable Bounds bounds) {
		this.bounds = bounds;
		this.store = store;
		this.spec = spec;
		this.name = spec.qualifiedName();
		this.table = table;
		this.encoding = encoding;
		this.counters = counters;
		this.near = near;
		this.sliding = sliding;
		this.ttlMillis = (spec.ttl() != null) ? spec.ttl().toMillis() : 0;
		this.views = new DictViews<>(this);
	}

	// ---- shared steps

	DictEncoding<K, V> encoding() {
		return this.encoding;
	}

	final long expiry(@Nullable Duration ttl) {
		if (ttl == null) {
			return (this.ttlMillis == 0) ? 0 : this.store.now() + this.ttlMillis;
		}
		checkTtl(ttl);
		return this.store.now() + ttl.toMillis();
	}

	final void checkTtl(Duration ttl) {
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl for dict '" + this.name + "' must be positive, was " + ttl);
		}
	}

	/**
	 * Refuse an entry that a byte bound could never hold, before it is written.
	 */
	final void checkFits(Object k, byte[] v) {
		Bounds bounds = this.bounds;
		if (bounds != null) {
			bounds.checkFits(k, v);
		}
	}

	/**
	 * After a write, in its transaction: keep a bounded dict within its bound.
	 * @param written how many rows the write wrote
	 */
	final void bound(Session w, int written) throws SQLException {
		Bounds bounds = this.bounds;
		if (bounds != null) {
			bounds.afterWrite(w, written);
		}
	}

	final <T> @Nullable T read(Op<T> op) {
		return this.store.read(op, this.name);
	}

	final @Nullable Row readRow(Object k) {
		return read((c) -> this.table.get(c, k));
	}

	final boolean isLive(@Nullable Row row) {
		return row != null && row.isLive(this.store.now());
	}

	// ---- reads

	@Override
	public @Nullable V get(Object key) {
		Object k = this.encoding.encodeQueryKey(key);
		if (k == null) {
			this.counters.misses.increment();
			return null;
		}
		Row row;
		if (this.near != null && !this.store.joined()) {
			// a hit must fail as a read would: on a closed store, or from inside a
			// compute function
			this.store.checkUsable();
			row = this.store.coherence().read(this.near, k, this.counters, () -> readRow(k));
		}
		else {
			row = readRow(k);
		}
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
				this.sliding.read(k, expiresAt, now);
			}
		}
		Bounds bounds = this.bounds;
		if (bounds != null && bounds.lru()) {
			// near-cache hits too: the hottest keys must not look idle to the store
			bounds.read(k, row.stamp());
		}
		this.counters.hits.increment();
		return this.encoding.decode(k, row.value());
	}

	@Override
	public boolean containsKey(Object key) {
		Object k = this.encoding.encodeQueryKey(key);
		return k != null && isLive(readRow(k));
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
		Row row = readRow(this.encoding.encodeKey(key));
		if (!isLive(row) || row.expiresAt() == 0) {
			return Optional.empty();
		}
		return Optional.of(Instant.ofEpochMilli(row.expiresAt()));
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
		return this.views.entries((from != null) ? this.encoding.encodeKey(from) : null,
				(to != null) ? this.encoding.encodeKey(to) : null);
	}

	/** Read one page of live rows (see {@link TableStore#page}). */
	Page page(@Nullable Object after, @Nullable Object from, @Nullable Object to, int limit, boolean keyOrder,
			boolean withExpiry) {
		long now = this.store.now();
		Page page = read((c) -> this.table.page(c, after, from, to, now, limit, keyOrder, withExpiry));
		return (page != null) ? page : Page.EMPTY;
	}

	/** Remove by encoded key, for iterators. */
	void removeStored(Object storedKey) {
		remove(this.encoding.decodeKey(storedKey));
	}

	TableStore table() {
		return this.table;
	}

	EngineStore owner() {
		return this.store;
	}

	@Override
	public DictStats stats() {
		long now = this.store.now();
		long[] counted = read((c) -> {
			Totals totals = this.table.totals(c);
			return new long[] { totals.rows() - this.table.expired(c, now), totals.bytes() };
		});
		long live = (counted != null) ? counted[0] : 0;
		this.counters.entries = live;
		return this.counters.snapshot(this.name, live, (counted != null) ? counted[1] : 0);
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	String qualifiedName() {
		return this.name;
	}

	@Override
	public DictSpec<K, V> spec() {
		return this.spec;
	}

	@Override
	public DictStore store() {
		return this.store;
	}

}
