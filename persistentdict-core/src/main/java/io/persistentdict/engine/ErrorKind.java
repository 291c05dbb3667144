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
		return this == FATAL || this == FULL || this == CORRUPT;
	}

}
