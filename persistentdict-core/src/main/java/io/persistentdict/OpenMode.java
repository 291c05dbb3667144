package io.persistentdict;

/**
 * How a store opens its file (sqlitedict's flags {@code c}, {@code r} and {@code n}; the
 * per-dict {@code w} is {@link DictSpec#clearOnOpen()}).
 */
public enum OpenMode {

	/**
	 * Open the file, creating it if it does not exist. The default.
	 */
	CREATE,

	/**
	 * Open an existing file read-only: every write fails with a
	 * {@link ReadOnlyStoreException}, and a dict that does not exist yet cannot be
	 * created.
	 */
	READ_ONLY,

	/**
	 * Delete the whole file, with every dict in it, and start empty. Only on explicit
	 * request: nothing else ever deletes user data.
	 */
	RECREATE,

	/**
	 * Open the file; if it is not a readable persistentdict file (corrupt, not SQLite),
	 * move it aside to {@code <name>.corrupt-<timestamp>} and start a new empty file. The
	 * old file is kept for inspection, never deleted.
	 */
	RECOVER

}
