package io.persistentdict.codec;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Turns values into bytes and back. A codec must be stateless and thread-safe: one
 * instance serves every thread of a dict.
 *
 * <p>
 * Built-in codecs come from the static factories: {@link #bytes()}, {@link #string()},
 * the primitive codecs, {@link #java(Class)} (Java serialization, restricted by an
 * allow-list) and {@link #json(Class)} (Jackson 3, when it is on the classpath). Users
 * implement their own by implementing this interface; give it a stable {@link #id()},
 * because the id is recorded in the file's catalog.
 *
 * <p>
 * A decoded value is always a fresh copy: mutating it changes nothing in the store.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

	/**
	 * Encode a value.
	 * @param value the value, never {@code null}
	 * @return its bytes
	 */
	byte[] encode(T value);

	/**
	 * Decode bytes written by {@link #encode}.
	 * @param bytes the bytes
	 * @return the value
	 * @throws RuntimeException when the bytes cannot be decoded; the dict wraps it in a
	 * {@link io.persistentdict.ValueDecodingException} that names the dict and the key
	 */
	T decode(byte[] bytes);

	/**
	 * Return a short, stable name for this codec, recorded in the file's catalog so that
	 * a dict reopened with another codec is noticed. Built-in ids are {@code bytes},
	 * {@code string}, {@code long}, {@code int}, {@code double}, {@code boolean},
	 * {@code java} and {@code json}.
	 * @return the id
	 */
	String id();

	/**
	 * Return the codec that stores {@code byte[]} as they are.
	 * @return the codec
	 */
	static Codec<byte[]> bytes() {
		return BuiltinCodecs.BYTES;
	}

	/**
	 * Return the codec that stores strings as UTF-8.
	 * @return the codec
	 */
	static Codec<String> string() {
		return BuiltinCodecs.STRING;
	}

	/**
	 * Return the codec for {@code Long} values (8 bytes, big-endian).
	 * @return the codec
	 */
	static Codec<Long> longs() {
		return BuiltinCodecs.LONG;
	}

	/**
	 * Return the codec for {@code Integer} values (4 bytes, big-endian).
	 * @return the codec
	 */
	static Codec<Integer> ints() {
		return BuiltinCodecs.INT;
	}

	/**
	 * Return the codec for {@code Double} values.
	 * @return the codec
	 */
	static Codec<Double> doubles() {
		return BuiltinCodecs.DOUBLE;
	}

	/**
	 * Return the codec for {@code Boolean} values.
	 * @return the codec
	 */
	static Codec<Boolean> booleans() {
		return BuiltinCodecs.BOOLEAN;
	}

	/**
	 * Return a Java serialization codec that deserializes only {@code type}, the JDK's
	 * value types and collections. Anything else, such as a gadget class from a library,
	 * is refused.
	 * @param <T> the value type
	 * @param type the value type
	 * @return the codec
	 */
	static <T> Codec<T> java(Class<T> type) {
		return java(type, List.of());
	}

	/**
	 * Return a Java serialization codec that deserializes {@code type}, the JDK's value
	 * types and collections, and the classes matched by {@code allowedTypes}.
	 * @param <T> the value type
	 * @param type the value type
	 * @param allowedTypes patterns: {@code com.example.Order} (one class),
	 * {@code com.example.*} (one package) or {@code com.example.**} (a package and its
	 * sub-packages)
	 * @return the codec
	 */
	static <T> Codec<T> java(Class<T> type, Collection<String> allowedTypes) {
		return java(type, allowedTypes, null);
	}

	/**
	 * Return a Java serialization codec that resolves classes with {@code classLoader}
	 * (Spring Boot passes its bean class loader, so that DevTools' restart class loader
	 * works) and deserializes only {@code type}, the JDK's value types and collections,
	 * and the classes matched by {@code allowedTypes}.
	 * @param <T> the value type
	 * @param type the value type
	 * @param allowedTypes patterns, as for {@link #java(Class, Collection)}
	 * @param classLoader the class loader, or {@code null} for Java's default
	 * @return the codec
	 */
	static <T> Codec<T> java(Class<T> type, Collection<String> allowedTypes, @Nullable ClassLoader classLoader) {
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(allowedTypes, "allowedTypes must not be null");
		return new JavaSerializationCodec<>(type, TypeAllowList.of(type, allowedTypes), classLoader);
	}

	/**
	 * Return a JSON codec backed by Jackson 3
	 * ({@code tools.jackson.core:jackson-databind} must be on the classpath).
	 * @param <T> the value type
	 * @param type the value type
	 * @return the codec
	 * @throws IllegalStateException if Jackson 3 is not on the classpath
	 */
	static <T> Codec<T> json(Class<T> type) {
		Objects.requireNonNull(type, "type must not be null");
		if (!JsonCodecs.isAvailable()) {
			throw new IllegalStateException("The json codec needs Jackson 3: add tools.jackson.core:jackson-databind "
					+ "to the classpath, or choose another codec");
		}
		return JsonCodecs.create(type);
	}

	/**
	 * Return the codec a dict uses for {@code type} when none is given: the matching
	 * built-in codec for {@code byte[]}, {@code String} and the boxed primitives, and
	 * otherwise {@link #java(Class, Collection) Java serialization} restricted to
	 * {@code type}, the JDK's value types and {@code allowedTypes}.
	 * @param <T> the value type
	 * @param type the value type
	 * @param allowedTypes extra patterns for the Java serialization allow-list
	 * @return the codec
	 */
	static <T> Codec<T> defaultFor(Class<T> type, Collection<String> allowedTypes) {
		return defaultFor(type, allowedTypes, null);
	}

	/**
	 * Return the codec a dict uses for {@code type} when none is given, resolving
	 * serialized classes with {@code classLoader}.
	 * @param <T> the value type
	 * @param type the value type
	 * @param allowedTypes extra patterns for the Java serialization allow-list
	 * @param classLoader the class loader, or {@code null} for Java's default
	 * @return the codec
	 */
	@SuppressWarnings("unchecked")
	static <T> Codec<T> defaultFor(Class<T> type, Collection<String> allowedTypes, @Nullable ClassLoader classLoader) {
		Codec<?> builtin = BuiltinCodecs.forType(type);
		return (builtin != null) ? (Codec<T>) builtin : java(type, allowedTypes, classLoader);
	}

	/**
	 * Return the built-in codec with the given id, for {@code type}.
	 * @param <T> the value type
	 * @param id {@code bytes}, {@code string}, {@code long}, {@code int}, {@code double},
	 * {@code boolean}, {@code java} or {@code json}
	 * @param type the value type
	 * @param allowedTypes extra patterns for the {@code java} codec's allow-list
	 * @return the codec
	 * @throws IllegalArgumentException for an unknown id, or an id that cannot hold
	 * {@code type}
	 */
	static <T> Codec<T> named(String id, Class<T> type, Collection<String> allowedTypes) {
		return named(id, type, allowedTypes, null);
	}

	/**
	 * Return the built-in codec with the given id, for {@code type}, resolving serialized
	 * classes with {@code classLoader}.
	 * @param <T> the value type
	 * @param id the codec's id
	 * @param type the value type
	 * @param allowedTypes extra patterns for the {@code java} codec's allow-list
	 * @param classLoader the class loader, or {@code null} for Java's default
	 * @return the codec
	 */
	@SuppressWarnings("unchecked")
	static <T> Codec<T> named(String id, Class<T> type, Collection<String> allowedTypes,
			@Nullable ClassLoader classLoader) {
		Objects.requireNonNull(id, "id must not be null");
		switch (id) {
			case "java":
				return java(type, allowedTypes, classLoader);
			case "json":
				return json(type);
			default:
				Codec<?> builtin = BuiltinCodecs.byId(id);
				if (builtin == null) {
					throw new IllegalArgumentException("Unknown codec '" + id
							+ "': use one of bytes, string, long, int, double, boolean, java, json");
				}
				if (BuiltinCodecs.forType(type) != builtin) {
					throw new IllegalArgumentException(
							"Codec '" + id + "' cannot store values of type " + type.getName());
				}
				return (Codec<T>) builtin;
		}
	}

	/**
	 * Encode a string as UTF-8; a small helper for custom codecs.
	 * @param value the string
	 * @return its bytes
	 */
	static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
