package io.persistentdict.cli;

import io.persistentdict.PersistentDictException;
import tools.jackson.core.JacksonException;

/**
 * The one line the tool prints for a failure: the message of the tool's own and the
 * core's exceptions, which name the store or dict and say what to do, and the class of
 * anything else. Never a stack trace.
 */
final class Messages {

	private Messages() {
	}

	static String of(Throwable ex) {
		if (ex instanceof CliException || ex instanceof PersistentDictException
				|| ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
			return "persistentdict-cli: " + ex.getMessage();
		}
		if (ex instanceof JacksonException jackson) {
			return "persistentdict-cli: JSON output failed: " + jackson.getOriginalMessage();
		}
		return "persistentdict-cli: failed: " + ex;
	}

}
