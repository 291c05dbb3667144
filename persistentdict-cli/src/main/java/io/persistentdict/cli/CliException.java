package io.persistentdict.cli;

/**
 * A refusal of the tool itself (a write without {@code --write}, an unknown dict, a value
 * that does not parse): its message says what to do, and the tool exits with 2.
 */
final class CliException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	CliException(String message) {
		super(message);
	}

	CliException(String message, Throwable cause) {
		super(message, cause);
	}

}
