package io.persistentdict.codec;

import org.jspecify.annotations.Nullable;

/**
 * A codec could not encode or decode a value. Its message never quotes the value, so it
 * may be shown and logged; a dict reports any other exception from a codec by its class
 * only, because libraries' messages often quote the bytes they could not parse.
 */
public class CodecException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public CodecException(String message) {
		super(message);
	}

	public CodecException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
