package io.persistentdict.engine;

import java.sql.SQLException;

import io.persistentdict.PersistentDictException;
import org.jspecify.annotations.Nullable;

/**
 * An engine's knowledge of its own errors: what kind each is, and the message a user
 * should see, naming the store and the dict and saying what to do.
 */
public interface EngineErrors {

	/**
	 * Return where the store is, for messages: a file, or a database without its
	 * password.
	 * @return the location
	 */
	String location();

	/**
	 * Classify a failure.
	 * @param ex the failure
	 * @return its kind
	 */
	ErrorKind classify(SQLException ex);

	/**
	 * Turn a failure into the exception a user sees.
	 * @param ex the failure
	 * @param action what was being done, such as {@code "read"} or {@code "write"}
	 * @param dict the dict's qualified name, or {@code null} for the store
	 * @return the exception to throw
	 */
	PersistentDictException translate(SQLException ex, String action, @Nullable String dict);

}
