package io.persistentdict;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception that persistentdict throws. Messages name the store file and,
 * where there is one, the dict, say what happened and what to do about it. Stored values
 * never appear in a message; keys may, shortened.
 */
public class PersistentDictException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PersistentDictException(String message) {
		super(message);
	}

	public PersistentDictException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
