package io.persistentdict.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The codecs for {@code byte[]}, {@code String} and the boxed primitives.
 */
final class BuiltinCodecs {

	static final Codec<byte[]> BYTES = new Simple<>("bytes") {

		@Override
		public byte[] encode(byte[] value) {
			return value;
		}

		@Override
		public byte[] decode(byte[] bytes) {
			return bytes;
		}

	};

	static final Codec<String> STRING = new Simple<>("string") {

		@Override
		public byte[] encode(String value) {
			int bad = Utf8.unpairedSurrogate(value);
			if (bad >= 0) {
				throw new CodecException("string has an unpaired surrogate at index " + bad
						+ "; UTF-8 cannot hold it (it would become '?')");
			}
			return value.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String decode(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}

	};

	static final Codec<Long> LONG = new Simple<>("long") {

		@Override
		public byte[] encode(Long value) {
			return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
		}

		@Override
		public Long decode(byte[] bytes) {
			return ByteBuffer.wrap(checkLength(bytes, Long.BYTES)).getLong();
		}

	};

	static final Codec<Integer> INT = new Simple<>("int") {

		@Override
		public byte[] encode(Integer value) {
			return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
		}

		@Override
		public Integer decode(byte[] bytes) {
			return ByteBuffer.wrap(checkLength(bytes, Integer.BYTES)).getInt();
		}

	};

	static final Codec<Double> DOUBLE = new Simple<>("double") {

		@Override
		public byte[] encode(Double value) {
			return ByteBuffer.allocate(Double.BYTES).putDouble(value).array();
		}

		@Override
		public Double decode(byte[] bytes) {
			return ByteBuffer.wrap(checkLength(bytes, Double.BYTES)).getDouble();
		}

	};

	static final Codec<Boolean> BOOLEAN = new Simple<>("boolean") {

		@Override
		public byte[] encode(Boolean value) {
			return new byte[] { (byte) (value ? 1 : 0) };
		}

		@Override
		public Boolean decode(byte[] bytes) {
			return checkLength(bytes, 1)[0] != 0;
		}

	};

	private static final Map<Class<?>, Codec<?>> BY_TYPE = Map.of(byte[].class, BYTES, String.class, STRING, Long.class,
			LONG, Integer.class, INT, Double.class, DOUBLE, Boolean.class, BOOLEAN);

	private static final Map<String, Codec<?>> BY_ID = Map.of("bytes", BYTES, "string", STRING, "long", LONG, "int",
			INT, "double", DOUBLE, "boolean", BOOLEAN);

	private BuiltinCodecs() {
	}

	static @Nullable Codec<?> forType(Class<?> type) {
		return BY_TYPE.get(type);
	}

	static @Nullable Codec<?> byId(String id) {
		return BY_ID.get(id);
	}

	private static byte[] checkLength(byte[] bytes, int length) {
		if (bytes.length != length) {
			throw new CodecException("expected " + length + " bytes but found " + bytes.length);
		}
		return bytes;
	}

	private abstract static class Simple<T> implements Codec<T> {

		private final String id;

		Simple(String id) {
			this.id = id;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public String toString() {
			return "Codec[" + this.id + "]";
		}

	}

}
