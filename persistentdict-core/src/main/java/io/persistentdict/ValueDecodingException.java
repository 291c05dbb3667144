package io.persistentdict;

import org.jspecify.annotations.Nullable;

/**
 * A stored value could not be decoded: its bytes are damaged, its class no longer exists,
 * or the deserialization allow-list refused its class. Only the entry concerned is
 * affected; other keys still read. The message names the dict and the key, never the
 * value.
 */
public class ValueDecodingException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	public ValueDecodingException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
