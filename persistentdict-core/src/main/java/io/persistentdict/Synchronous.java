package io.persistentdict;

/**
 * SQLite's {@code PRAGMA synchronous} level for a store in WAL mode.
 */
public enum Synchronous {

	/**
	 * Every commit is fsynced before the write returns: durable across power loss.
	 */
	FULL,

	/**
	 * Commits are fsynced at WAL checkpoints. A committed write survives a crash of the
	 * process; a power loss may roll back the last commits, but never corrupts the file.
	 * The default.
	 */
	NORMAL,

	/**
	 * No fsync at all. Risky: a power loss or operating system crash can corrupt the
	 * file. Only for data you can rebuild.
	 */
	OFF

}
