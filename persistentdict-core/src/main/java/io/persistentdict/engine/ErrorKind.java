package io.persistentdict.engine;

/**
 * What kind of failure an engine's error is, as the write scheduling needs to know.
 */
public enum ErrorKind {

	/** Another connection held a lock for longer than the engine waits. */
	BUSY,

	/**
	 * One row of a statement is at fault (a constraint, a value too big, a value that
	 * could not be bound): the other rows of the statement may still be written.
	 */
	ROW_FAULT,

	/** The transaction cannot go on (an I/O error, out of memory). */
	FATAL,

	/** The database or the user may not write. */
	READ_ONLY,

	/**
	 * Another connection's transaction conflicted with this one (a serialization failure,
	 * a deadlock): nothing was written, and the transaction may run again.
	 */
	CONFLICT,

	/**
	 * The connection was lost while a commit was under way: the write may or may not have
	 * happened, and must not be retried by itself.
	 */
	OUTCOME_UNKNOWN,

	/** The disk or the database is full. */
	FULL,

	/** The stored data is damaged. */
	CORRUPT,

	/** Anything else. */
	OTHER;

	/**
	 * Return whether the error ends the whole transaction, so that no other operation of
	 * the transaction may still commit.
	 * @return whether it is fatal to the transaction
	 */
	public boolean endsTransaction() {
		return this == FATAL || this == FULL || this == CORRUPT || this == CONFLICT || this == OUTCOME_UNKNOWN;
	}

}
