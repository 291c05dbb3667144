package io.persistentdict.cli;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.persistentdict.PersistentDictException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The one line the tool prints for a failure: the message of the tool's own and the
 * core's exceptions, which name the store or dict and say what to do, and the class of
 * anything else. Never a stack trace, and never a password: the tool's messages show a
 * JDBC URL without its parameters, and as a second guard every password the tool was
 * given ({@link #hide}) is masked in whatever a driver or server put in a message.
 */
final class Messages {

	/** Shorter passwords would mask ordinary words; the first guard covers them. */
	private static final int SHORTEST_MASKED = 4;

	private static final Set<String> hidden = new CopyOnWriteArraySet<>();

	private Messages() {
	}

	/** Mask a password in every later message. */
	static void hide(@Nullable String secret) {
		if (secret != null && secret.length() >= SHORTEST_MASKED) {
			hidden.add(secret);
		}
	}

	/** Return a text with every hidden password masked. */
	static String mask(@Nullable String text) {
		String masked = String.valueOf(text);
		for (String secret : hidden) {
			masked = masked.replace(secret, "****");
		}
		return masked;
	}

	static String of(Throwable ex) {
		if (ex instanceof CliException || ex instanceof PersistentDictException
				|| ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
				|| ex instanceof UnsupportedOperationException) {
			return mask("persistentdict-cli: " + ex.getMessage());
		}
		if (ex instanceof JacksonException jackson) {
			return mask("persistentdict-cli: JSON output failed: " + jackson.getOriginalMessage());
		}
		return mask("persistentdict-cli: failed: " + ex);
	}

}
