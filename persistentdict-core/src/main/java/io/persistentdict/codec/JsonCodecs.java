package io.persistentdict.codec;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON codec, kept in its own class so that Jackson 3 stays optional.
 */
final class JsonCodecs {

	private static final boolean AVAILABLE = isPresent("tools.jackson.databind.json.JsonMapper");

	private JsonCodecs() {
	}

	static boolean isAvailable() {
		return AVAILABLE;
	}

	static <T> Codec<T> create(Class<T> type) {
		return new Jackson<>(type);
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, JsonCodecs.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static final class Jackson<T> implements Codec<T> {

		private static final JsonMapper MAPPER = JsonMapper.builder().build();

		private final Class<T> type;

		Jackson(Class<T> type) {
			this.type = type;
		}

		@Override
		public byte[] encode(T value) {
			return MAPPER.writeValueAsBytes(value);
		}

		@Override
		public T decode(byte[] bytes) {
			try {
				return MAPPER.readValue(bytes, this.type);
			}
			catch (JacksonException ex) {
				// Jackson's message quotes the token it could not read: keep it out
				throw new CodecException(
						"not valid JSON for " + this.type.getName() + " (" + ex.getClass().getSimpleName() + ")");
			}
		}

		@Override
		public String id() {
			return "json";
		}

		@Override
		public String toString() {
			return "Codec[json " + this.type.getName() + "]";
		}

	}

}
