package io.persistentdict.codec;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns keys into the SQL values a dict's key column stores: a {@code String} (stored as
 * readable {@code TEXT}), a {@code Long} ({@code INTEGER}) or a {@code byte[]}
 * ({@code BLOB}). The key column has no type affinity, so a key keeps its storage class:
 * {@code 1} and {@code "1"} are different keys.
 *
 * <p>
 * Keys are ordered as SQLite orders the stored values: integers numerically, text by its
 * UTF-8 bytes. Iteration follows that order.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

	/**
	 * Encode a key.
	 * @param key the key, never {@code null}
	 * @return a {@code String}, {@code Long} or {@code byte[]}
	 */
	Object encode(K key);

	/**
	 * Decode a stored key.
	 * @param stored the stored value, as {@link #encode} produced it
	 * @return the key
	 */
	K decode(Object stored);

	/**
	 * Return a short, stable name, recorded in the catalog.
	 * @return the id
	 */
	String id();

	/**
	 * Return the codec for {@code String} keys, stored as {@code TEXT}.
	 * @return the codec
	 */
	static KeyCodec<String> string() {
		return BuiltinKeyCodecs.STRING;
	}

	/**
	 * Return the codec for {@code Long} keys, stored as {@code INTEGER}.
	 * @return the codec
	 */
	static KeyCodec<Long> longs() {
		return BuiltinKeyCodecs.LONG;
	}

	/**
	 * Return the codec for {@code Integer} keys, stored as {@code INTEGER}.
	 * @return the codec
	 */
	static KeyCodec<Integer> ints() {
		return BuiltinKeyCodecs.INT;
	}

	/**
	 * Return the codec for {@code UUID} keys, stored as their canonical {@code TEXT}.
	 * @return the codec
	 */
	static KeyCodec<UUID> uuids() {
		return BuiltinKeyCodecs.UUIDS;
	}

	/**
	 * Return a codec for any key type that has a text form.
	 * @param <K> the key type
	 * @param id a stable name for the catalog
	 * @param toText turns a key into text
	 * @param fromText turns the text back into a key
	 * @return the codec
	 */
	static <K> KeyCodec<K> text(String id, Function<? super K, String> toText, Function<String, ? extends K> fromText) {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(toText, "toText must not be null");
		Objects.requireNonNull(fromText, "fromText must not be null");
		return new KeyCodec<>() {

			@Override
			public Object encode(K key) {
				return toText.apply(key);
			}

			@Override
			public K decode(Object stored) {
				return fromText.apply((String) stored);
			}

			@Override
			public String id() {
				return id;
			}

		};
	}

	/**
	 * Return the built-in codec for {@code type}.
	 * @param <K> the key type
	 * @param type {@code String}, {@code Long}, {@code Integer} or {@code UUID}
	 * @return the codec
	 * @throws IllegalArgumentException for any other type: supply a codec with
	 * {@link #text}
	 */
	@SuppressWarnings("unchecked")
	static <K> KeyCodec<K> defaultFor(Class<K> type) {
		KeyCodec<?> codec = BuiltinKeyCodecs.forType(type);
		if (codec == null) {
			throw new IllegalArgumentException("No built-in key codec for " + type.getName()
					+ ": use String, Long, Integer or UUID keys, or supply one with KeyCodec.text(...)");
		}
		return (KeyCodec<K>) codec;
	}

}
