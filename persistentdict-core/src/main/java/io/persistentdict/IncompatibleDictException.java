package io.persistentdict;

/**
 * A dict was reopened with a key type, value type or codec that does not match what the
 * file's catalog recorded when the dict was created.
 */
public class IncompatibleDictException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	public IncompatibleDictException(String message) {
		super(message);
	}

}
