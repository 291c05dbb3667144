package io.persistentdict;

import java.util.Arrays;
import java.util.Objects;

import io.persistentdict.codec.Codec;
import io.persistentdict.codec.CodecException;
import io.persistentdict.codec.KeyCodec;
import io.persistentdict.engine.JsonLines;
import io.persistentdict.engine.ValueFormat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one dict turns keys and values into what its table stores: the key codec, and the
 * value codec behind the value header with its compression. Messages name the key but
 * never quote a value.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class DictEncoding<K, V> {

	private static final Logger logger = LoggerFactory.getLogger(DictEncoding.class);

	private final DictSpec<K, V> spec;

	private final KeyCodec<K> keyCodec;

	private final Codec<V> valueCodec;

	private final StoreOptions options;

	private final int tag;

	/** Where the dict is, for messages. */
	private final String where;

	DictEncoding(DictSpec<K, V> spec, KeyCodec<K> keyCodec, Codec<V> valueCodec, StoreOptions options,
			String location) {
		this.where = "dict '" + spec.qualifiedName() + "' of store " + location;
		this.spec = spec;
		this.keyCodec = keyCodec;
		this.valueCodec = valueCodec;
		this.options = options;
		this.tag = ValueFormat.tagOf(valueCodec.id());
	}

	/**
	 * Return the dict and its store, for messages: {@code dict 'map:users' of store
	 * data/app.db}.
	 */
	String where() {
		return this.where;
	}

	/** Return what an import's lines become in this dict. */
	JsonLines.Target importTarget() {
		return JsonLines.Target.of(this.where, this.valueCodec.id(), this.spec.valueType().getName(),
				this.spec.compressionThreshold());
	}

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

	byte[] encodeValue(Object key, V value) {
		Objects.requireNonNull(value, "value must not be null");
		byte[] payload;
		try {
			payload = this.valueCodec.encode(value);
		}
		catch (RuntimeException ex) {
			boolean safe = ex instanceof CodecException;
			throw new PersistentDictException(
					"Value for key " + Strings.key(key) + " in " + this.where + " could not be encoded: " + reason(ex),
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
				codec = Codec.named(ValueFormat.codecIdOf(rowTag), this.spec.valueType(), this.options.allowedTypes(),
						this.options.classLoader());
			}
			V value = codec.decode(payload);
			if (value == null) {
				throw new IllegalArgumentException("codec " + codec.id() + " decoded null");
			}
			return value;
		}
		catch (RuntimeException ex) {
			boolean safe = ex instanceof CodecException;
			throw new ValueDecodingException(
					"Value of key " + Strings.key(storedKey) + " in " + this.where + " could not be decoded: "
							+ reason(ex) + ". Other keys are unaffected; overwrite or remove this key",
					safe ? ex : null);
		}
	}

	/**
	 * A library's own message often quotes the bytes it could not read: show only
	 * messages that are known to be free of values.
	 */
	private static String reason(RuntimeException ex) {
		return (ex instanceof CodecException) ? String.valueOf(ex.getMessage())
				: ex.getClass().getName() + " from the value codec (its message is withheld: it may quote the value)";
	}

	/**
	 * Decode a previous value that is only reported, not needed: one that cannot be read
	 * is logged and taken as absent.
	 */
	@Nullable V decodeQuietly(Object key, byte @Nullable [] stored) {
		if (stored == null) {
			return null;
		}
		try {
			return decode(key, stored);
		}
		catch (ValueDecodingException ex) {
			logger.warn("Previous value of key {} in {} could not be decoded; it was replaced", Strings.key(key),
					this.where);
			return null;
		}
	}

	/**
	 * Check that an imported row is one this dict could have written: its key decodes to
	 * the key type and encodes back to the same stored key, and its value decodes.
	 * @throws IllegalArgumentException if not, saying why
	 */
	void checkImported(Object storedKey, byte[] stored) {
		Object again;
		try {
			again = encodeKey(decodeKey(storedKey));
		}
		catch (RuntimeException ex) {
			again = null;
		}
		boolean same = (again instanceof byte[] bytes && storedKey instanceof byte[] original)
				? Arrays.equals(bytes, original) : storedKey.equals(again);
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

}
