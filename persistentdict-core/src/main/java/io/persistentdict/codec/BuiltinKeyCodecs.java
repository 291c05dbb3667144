package io.persistentdict.codec;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Key codecs for {@code String}, {@code Long}, {@code Integer} and {@code UUID}.
 */
final class BuiltinKeyCodecs {

	static final KeyCodec<String> STRING = new Named<>("string") {

		@Override
		public Object encode(String key) {
			int bad = Utf8.unpairedSurrogate(key);
			if (bad >= 0) {
				throw new IllegalArgumentException("String key has an unpaired surrogate at index " + bad
						+ "; SQLite stores text as UTF-8, which cannot hold it (it would become '?')");
			}
			return key;
		}

		@Override
		public String decode(Object stored) {
			return (String) stored;
		}

	};

	static final KeyCodec<Long> LONG = new Named<>("long") {

		@Override
		public Object encode(Long key) {
			return key;
		}

		@Override
		public Long decode(Object stored) {
			return ((Number) stored).longValue();
		}

	};

	static final KeyCodec<Integer> INT = new Named<>("int") {

		@Override
		public Object encode(Integer key) {
			return key.longValue();
		}

		@Override
		public Integer decode(Object stored) {
			return ((Number) stored).intValue();
		}

	};

	static final KeyCodec<UUID> UUIDS = new Named<>("uuid") {

		@Override
		public Object encode(UUID key) {
			return key.toString();
		}

		@Override
		public UUID decode(Object stored) {
			return UUID.fromString((String) stored);
		}

	};

	private static final Map<Class<?>, KeyCodec<?>> BY_TYPE = Map.of(String.class, STRING, Long.class, LONG,
			Integer.class, INT, UUID.class, UUIDS);

	private BuiltinKeyCodecs() {
	}

	static @Nullable KeyCodec<?> forType(Class<?> type) {
		return BY_TYPE.get(type);
	}

	private abstract static class Named<K> implements KeyCodec<K> {

		private final String id;

		Named(String id) {
			this.id = id;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public String toString() {
			return "KeyCodec[" + this.id + "]";
		}

	}

}
