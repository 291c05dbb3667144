package io.persistentdict;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.persistentdict.engine.Page;
import io.persistentdict.engine.Row;
import org.jspecify.annotations.Nullable;

/**
 * The live views of a dict and the iterator under them. The iterator pages through the
 * table, {@value #PAGE} rows or about {@value Page#MAX_BYTES} bytes of values at a time,
 * whichever comes first; no cursor stays open between calls, so an abandoned iterator
 * holds nothing but its last page.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class DictViews<K, V> {

	static final int PAGE = 512;

	private final DictReads<K, V> dict;

	private final KeySet keySet = new KeySet();

	private final Values values = new Values();

	private final EntrySet entrySet = new EntrySet();

	DictViews(DictReads<K, V> dict) {
		this.dict = dict;
	}

	Set<K> keySet() {
		return this.keySet;
	}

	Collection<V> values() {
		return this.values;
	}

	Set<Map.Entry<K, V>> entrySet() {
		return this.entrySet;
	}

	Stream<Map.Entry<K, V>> entries(@Nullable Object from, @Nullable Object to) {
		Iterator<Map.Entry<K, V>> iterator = new PagingIterator<>(this.dict, from, to, true, this::entry);
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
				Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL | Spliterator.SORTED), false);
	}

	private Map.Entry<K, V> entry(Row row) {
		return new WriteThroughEntry(this.dict.encoding().decodeKey(row.key()),
				this.dict.encoding().decode(row.key(), row.value()));
	}

	/**
	 * The smallest string greater than every string that starts with {@code prefix}, in
	 * SQLite's text order (UTF-8 bytes, which is code point order), or {@code null} if
	 * there is none.
	 */
	static @Nullable String successor(String prefix) {
		int[] codePoints = prefix.codePoints().toArray();
		for (int i = codePoints.length - 1; i >= 0; i--) {
			int next = codePoints[i] + 1;
			if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
				next = Character.MAX_SURROGATE + 1;
			}
			if (next <= Character.MAX_CODE_POINT) {
				codePoints[i] = next;
				return new String(codePoints, 0, i + 1);
			}
		}
		return null;
	}

	/**
	 * An iterator over pages of rows.
	 */
	static final class PagingIterator<K, V, T> implements Iterator<T> {

		private final DictReads<K, V> dict;

		private final @Nullable Object from;

		private final @Nullable Object to;

		private final Function<Row, T> mapper;

		private final boolean keyOrder;

		private List<Row> page = List.of();

		private int index;

		private @Nullable Object after;

		private boolean exhausted;

		private @Nullable Row last;

		PagingIterator(DictReads<K, V> dict, @Nullable Object from, @Nullable Object to, boolean keyOrder,
				Function<Row, T> mapper) {
			this.dict = dict;
			this.keyOrder = keyOrder;
			this.from = from;
			this.to = to;
			this.mapper = mapper;
		}

		@Override
		public boolean hasNext() {
			if (this.index < this.page.size()) {
				return true;
			}
			if (this.exhausted) {
				return false;
			}
			Page next = this.dict.page(this.after, this.from, this.to, PAGE, this.keyOrder, false);
			this.page = next.rows();
			this.index = 0;
			if (!next.more()) {
				this.exhausted = true;
			}
			if (next.last() != null) {
				this.after = next.last();
			}
			return !this.page.isEmpty();
		}

		@Override
		public T next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			Row row = this.page.get(this.index++);
			this.last = row;
			return this.mapper.apply(row);
		}

		@Override
		public void remove() {
			Row row = this.last;
			if (row == null) {
				throw new IllegalStateException("next() has not been called, or remove() was already called");
			}
			this.last = null;
			this.dict.removeStored(row.key());
		}

	}

	/**
	 * An entry whose {@code setValue} writes through to the dict.
	 */
	private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {

		private static final long serialVersionUID = 1L;

		WriteThroughEntry(K key, V value) {
			super(key, value);
		}

		@Override
		public V setValue(V value) {
			Objects.requireNonNull(value, "value must not be null");
			DictViews.this.dict.put(getKey(), value);
			return super.setValue(value);
		}

	}

	private final class KeySet extends AbstractSet<K> {

		@Override
		public Iterator<K> iterator() {
			DictReads<K, V> dict = DictViews.this.dict;
			return new PagingIterator<>(dict, null, null, false, (row) -> dict.encoding().decodeKey(row.key()));
		}

		@Override
		public int size() {
			return DictViews.this.dict.size();
		}

		@Override
		public boolean isEmpty() {
			return DictViews.this.dict.isEmpty();
		}

		@Override
		public boolean contains(Object o) {
			return DictViews.this.dict.containsKey(o);
		}

		@Override
		public boolean remove(Object o) {
			return DictViews.this.dict.remove(o) != null;
		}

		@Override
		public void clear() {
			DictViews.this.dict.clear();
		}

	}

	private final class Values extends AbstractCollection<V> {

		@Override
		public Iterator<V> iterator() {
			DictReads<K, V> dict = DictViews.this.dict;
			return new PagingIterator<>(dict, null, null, false,
					(row) -> dict.encoding().decode(row.key(), row.value()));
		}

		@Override
		public int size() {
			return DictViews.this.dict.size();
		}

		@Override
		public boolean isEmpty() {
			return DictViews.this.dict.isEmpty();
		}

		@Override
		public boolean contains(Object o) {
			return DictViews.this.dict.containsValue(o);
		}

		@Override
		public void clear() {
			DictViews.this.dict.clear();
		}

	}

	private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {

		@Override
		public Iterator<Map.Entry<K, V>> iterator() {
			return new PagingIterator<>(DictViews.this.dict, null, null, false, DictViews.this::entry);
		}

		@Override
		public int size() {
			return DictViews.this.dict.size();
		}

		@Override
		public boolean isEmpty() {
			return DictViews.this.dict.isEmpty();
		}

		@Override
		public boolean contains(Object o) {
			return test(o, (key, value) -> {
				V current = DictViews.this.dict.get(key);
				return current != null && current.equals(value);
			});
		}

		@Override
		public boolean remove(Object o) {
			return test(o, (key, value) -> DictViews.this.dict.remove(key, value));
		}

		@Override
		public void clear() {
			DictViews.this.dict.clear();
		}

		private boolean test(Object o, BiFunction<Object, Object, Boolean> action) {
			if (!(o instanceof Map.Entry<?, ?> entry)) {
				return false;
			}
			Object key = entry.getKey();
			Object value = entry.getValue();
			if (key == null || value == null) {
				return false;
			}
			return action.apply(key, value);
		}

	}

}
