package io.persistentdict;

/**
 * A write's commit was under way when the connection to the database was lost: the write
 * may or may not have happened. It is never retried by itself, so that a counter never
 * counts twice: read the value back to find out, and write again if it is needed.
 */
public class WriteOutcomeUnknownException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	public WriteOutcomeUnknownException(String message, Throwable cause) {
		super(message, cause);
	}

}
