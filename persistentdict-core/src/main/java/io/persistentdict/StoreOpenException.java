package io.persistentdict;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A store could not be opened. {@link #reason()} says why, so that tools (such as the
 * Spring Boot failure analyzer) can suggest the right fix.
 */
public class StoreOpenException extends PersistentDictException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a store could not be opened.
	 */
	public enum Reason {

		/** The file exists but is not a SQLite database, or is truncated. */
		NOT_SQLITE,
		/** The file is a SQLite database that belongs to another application. */
		FOREIGN,
		/** The file was written by a newer version of persistentdict. */
		NEWER_SCHEMA,
		/** The file is damaged. */
		CORRUPT,
		/** The file or its directory cannot be read or written. */
		NOT_ACCESSIBLE,
		/** Another connection holds a lock longer than the busy timeout. */
		LOCKED,
		/**
		 * The database behind a {@code DataSource} needs an engine module that is not on
		 * the class path.
		 */
		ENGINE_MISSING,
		/** The database behind a {@code DataSource} is one that no engine serves. */
		UNSUPPORTED_DATABASE,
		/** The database behind a {@code DataSource} could not be reached. */
		UNREACHABLE,
		/**
		 * The database behind a {@code DataSource} has no persistentdict schema, and the
		 * store was not to create one.
		 */
		NO_SCHEMA,
		/** Anything else. */
		OTHER

	}

	private final transient @Nullable Path path;

	private final Reason reason;

	public StoreOpenException(@Nullable Path path, Reason reason, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.path = path;
		this.reason = reason;
	}

	/**
	 * Return the file that failed to open, or {@code null} for a store without a file.
	 * @return the path
	 */
	public @Nullable Path path() {
		return this.path;
	}

	/**
	 * Return why the store failed to open.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
