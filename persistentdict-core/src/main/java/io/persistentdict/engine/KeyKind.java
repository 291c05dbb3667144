package io.persistentdict.engine;

import io.persistentdict.codec.KeyCodec;

/**
 * What a dict's stored keys are, so that an engine can read them with the matching getter
 * and choose its column type.
 */
public enum KeyKind {

	/** {@code String} keys. */
	TEXT,

	/** {@code Long} keys. */
	INTEGER,

	/** Whatever the codec stores: {@code String}, {@code Long} or {@code byte[]}. */
	ANY;

	/**
	 * Return the kind of keys a codec stores.
	 * @param codec the key codec
	 * @return the kind
	 */
	public static KeyKind of(KeyCodec<?> codec) {
		if (codec == KeyCodec.string() || codec == KeyCodec.uuids()) {
			return TEXT;
		}
		if (codec == KeyCodec.longs() || codec == KeyCodec.ints()) {
			return INTEGER;
		}
		return ANY;
	}

}
